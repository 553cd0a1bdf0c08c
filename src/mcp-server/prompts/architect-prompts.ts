// Prompts: the architect persona, a code review that combines the persona with the analyzer's findings,
// and three playbook-driven sessions (incident war room, strangler-fig migration plan, resilience design).
import { z } from 'zod';
import type { GetPromptResult } from '@modelcontextprotocol/sdk/types.js';
import type { ToolContext } from '../tool-context';
import { MAX_CODE_BYTES, MAX_PATH_LENGTH, MAX_TEXT_ARGUMENT_LENGTH } from '../limits';
import { analysisText } from '../findings-output';
import { resolveInsideRoots } from '../tools/analyze-file';

function userMessage(text: string): GetPromptResult['messages'][number] {
  return { role: 'user', content: { type: 'text', text } };
}

/** The persona framed as the model's standing instructions (MCP prompts carry user/assistant messages only). */
function personaPreamble(persona: string): string {
  return `Act as the MCP server architect described below. Follow its rules, patterns, thresholds and playbooks, and answer as that architect.\n\n<persona>\n${persona}\n</persona>`;
}

const text = (max: number, what: string) => z.string().max(max, `${what} is longer than ${max} characters`);

export function registerPrompts(ctx: ToolContext): void {
  const { server, data } = ctx;

  server.registerPrompt(
    'architect',
    { title: 'MCP server architect', description: "The senior MCP server architect persona as standing instructions for the conversation." },
    async () => ({ description: 'MCP server architect persona', messages: [userMessage(personaPreamble(data.persona))] }),
  );

  server.registerPrompt(
    'review_code',
    {
      title: 'Review MCP server code',
      description: "An architecture review of MCP server code: the persona plus the analyzer's findings. Give `code` (with `fileName`) or `file` (a path inside the workspace roots).",
      argsSchema: {
        code: z.string().optional().describe('The code to review (at most 1 MB).'),
        fileName: z.string().max(255).optional().describe('File name for `code`; its extension selects the language (default server.ts).'),
        file: z.string().max(MAX_PATH_LENGTH).optional().describe('A file inside the workspace roots to review instead of `code`.'),
      },
    },
    async ({ code, fileName, file }) => {
      let source: string;
      let name: string;
      if (file) {
        const resolved = await resolveInsideRoots(file, await ctx.allowedRoots());
        if ('error' in resolved) throw new Error(resolved.error);
        source = resolved.text;
        name = resolved.displayName;
      } else if (code !== undefined) {
        if (Buffer.byteLength(code, 'utf8') > MAX_CODE_BYTES) throw new Error(`The code is over the 1 MB limit (${MAX_CODE_BYTES} bytes).`);
        source = code;
        name = fileName ?? 'server.ts';
      } else {
        throw new Error('Give either `code` or `file` to review.');
      }
      const result = await ctx.analyze(name, source);
      if ('error' in result) throw new Error(result.error);
      const fence = source.includes('```') ? '~~~~' : '```';
      return {
        description: `Architecture review of ${name}`,
        messages: [
          userMessage(personaPreamble(data.persona)),
          userMessage(
            `Review this MCP server code as the architect. The static analyzer reported:\n\n${analysisText(result)}\n\n` +
              `Confirm or dismiss each finding with reasons, then look for what a static analyzer cannot see: failure modes under load, ` +
              `dependency isolation, observability, security, and evolution paths. Order your recommendations by production risk, ` +
              `and name the playbook behind each.\n\n${name}:\n${fence}\n${source}\n${fence}`,
          ),
        ],
      };
    },
  );

  server.registerPrompt(
    'incident_war_room',
    {
      title: 'Incident war room',
      description: 'Run an MCP production incident with the war-room and security-incident playbooks. Argument: the symptoms.',
      argsSchema: { symptoms: text(MAX_TEXT_ARGUMENT_LENGTH, 'symptoms').describe('What is happening: errors, latency, scope, when it started.') },
    },
    async ({ symptoms }) => ({
      description: 'Incident war room',
      messages: [
        userMessage(personaPreamble(data.persona)),
        userMessage(
          `We have a production incident on our MCP servers. Symptoms:\n\n${symptoms}\n\n` +
            `Lead the war room using these playbooks. Give: the immediate actions (acknowledge, assess impact and scope, who to notify), ` +
            `the most likely causes ranked with the evidence that would confirm each, the rollback or traffic-management step, ` +
            `whether this is a security incident, and the postmortem actions.\n\n${data.playbookMarkdown('war-room-incident-response') ?? ''}\n\n${data.playbookMarkdown('security-incident-response') ?? ''}`,
        ),
      ],
    }),
  );

  server.registerPrompt(
    'migration_plan',
    {
      title: 'Strangler-fig migration plan',
      description: 'A migration plan from a legacy system to MCP servers with the strangler-fig and platform-migration playbooks.',
      argsSchema: {
        system: text(MAX_TEXT_ARGUMENT_LENGTH, 'system').describe('The system being migrated: what it is, what it talks to, its traffic.'),
        constraints: text(MAX_TEXT_ARGUMENT_LENGTH, 'constraints').optional().describe('Deadlines, compliance, teams, budget.'),
      },
    },
    async ({ system, constraints }) => ({
      description: 'Strangler-fig migration plan',
      messages: [
        userMessage(personaPreamble(data.persona)),
        userMessage(
          `Plan the migration of this system to MCP servers:\n\n${system}\n\n${constraints ? `Constraints:\n${constraints}\n\n` : ''}` +
            `Use the strangler-fig phases with their thresholds (shadow deployment, 1% traffic steps with automated rollback triggers, ` +
            `decommission only at 99.9% confidence, rollback kept 6+ months), and the platform-migration and legacy-integration lessons.\n\n` +
            `${data.playbookMarkdown('strangler-fig-migration') ?? ''}\n\n${data.playbookMarkdown('platform-generation-migration') ?? ''}\n\n${data.playbookMarkdown('legacy-integration') ?? ''}`,
        ),
      ],
    }),
  );

  server.registerPrompt(
    'resilience_design',
    {
      title: 'Resilience design',
      description: 'Design circuit breakers, bulkheads, timeouts, caches and degradation for an MCP server and its dependencies.',
      argsSchema: {
        service: text(MAX_TEXT_ARGUMENT_LENGTH, 'service').describe('The MCP server: its tools and the dependencies they call.'),
      },
    },
    async ({ service }) => ({
      description: 'Resilience design',
      messages: [
        userMessage(personaPreamble(data.persona)),
        userMessage(
          `Design the resilience of this MCP server:\n\n${service}\n\nFor each dependency give the timeout, circuit breaker settings ` +
            `(5 consecutive failures, 30 s open, half-open retry with exponential backoff), fallback (cached response or graceful degradation), ` +
            `bulkhead partition and cache bounds (1000 entries, 300 s TTL), and the alerts (error rate over 1%, p99 over 200 ms). ` +
            `Name the snippets that implement each piece.\n\n${data.playbookMarkdown('circuit-breaker-cascade') ?? ''}\n\n${data.playbookMarkdown('memory-management') ?? ''}\n\n${data.playbookMarkdown('failure-assumption') ?? ''}`,
        ),
      ],
    }),
  );
}
