// The tsserver plugin module: tsserver calls the factory once per project, then `create` with that project's
// language service, and `onConfigurationChanged` when the editor sends settings through `configurePlugin`.
import type * as ts from 'typescript';
import type { TypeScriptModule } from '../core/types';
import { PLUGIN_NAME, mergeSettings, readSettings, type PluginSettings } from './config';
import { decorateLanguageService, type PluginLogger } from './decorator';
import { ProjectAnalysis, describeError } from './project-analysis';
import { readTestFaults } from './test-hooks';

/**
 * Marks a project whose language service carries our decorator. tsserver calls `create` again on the same,
 * already decorated service when it reloads a project (e.g. after a tsconfig.json edit), and a tsconfig.json
 * may list the plugin twice. `Symbol.for` so that two copies of the plugin see each other's mark.
 */
const PROJECT_STATE = Symbol.for('mcp-architect-tsserver-plugin/project-state');

/** What one copy of the plugin may call on a project state made by another copy: keep it stable. */
interface ProjectHandle {
  /** Settings of a (re)created plugin: the tsconfig.json entry, or the editor's settings when it sent any. */
  created(config: unknown): void;
  /** Settings from the editor (`configurePlugin`). */
  configured(config: unknown): void;
}

class ProjectState implements ProjectHandle {
  private tsconfigLayer: Partial<PluginSettings> = {};
  private editorLayer: Partial<PluginSettings> = {};

  constructor(
    private readonly project: ts.server.Project,
    readonly analysis: ProjectAnalysis,
    private readonly log: PluginLogger,
  ) {}

  created(config: unknown): void {
    // tsserver passes the editor's last `configurePlugin` settings in place of the tsconfig.json entry when
    // it has any, so the entry is read from the compiler options as well.
    const plugins = this.project.getCompilerOptions().plugins as ts.PluginImport[] | undefined;
    const entry = Array.isArray(plugins) ? plugins.find(p => p?.name === PLUGIN_NAME) : undefined;
    this.tsconfigLayer = entry ? readSettings(entry, 'tsconfig.json plugin entry', m => this.log.info(m)) : {};
    this.editorLayer = config === entry ? {} : readSettings(config, 'plugin configuration', m => this.log.info(m));
    this.apply();
  }

  configured(config: unknown): void {
    this.editorLayer = readSettings(config, 'configurePlugin', m => this.log.info(m));
    this.apply();
    // The editor asks for diagnostics again after this event.
    this.project.refreshDiagnostics();
  }

  private apply(): void {
    const settings = mergeSettings(this.tsconfigLayer, this.editorLayer);
    this.analysis.settings = settings;
    this.log.info(`settings for ${this.project.getProjectName()}: ${JSON.stringify(settings)}`);
  }
}

export class McpArchitectPlugin {
  /** Projects this factory instance created or adopted; normally one, as tsserver runs the factory per project. */
  private readonly projects = new Set<ProjectHandle>();

  constructor(private readonly ts: TypeScriptModule) {}

  create(info: ts.server.PluginCreateInfo): ts.LanguageService {
    const logger = info.project.projectService.logger;
    const log: PluginLogger = {
      info: m => logger.info(`[${PLUGIN_NAME}] ${m}`),
      timing: () => logger.hasLevel(this.ts.server?.LogLevel?.requestTime ?? 2),
      perf: m => logger.perftrc(`[${PLUGIN_NAME}] ${m}`),
    };
    try {
      const holder = info.project as unknown as { [PROJECT_STATE]?: ProjectHandle };
      const existing = holder[PROJECT_STATE];
      if (existing) {
        log.info(`${info.project.getProjectName()} is already decorated; updating its settings only`);
        existing.created(info.config);
        this.projects.add(existing);
        return info.languageService;
      }
      const faults = readTestFaults(process.env, m => log.info(m));
      const analysis = new ProjectAnalysis(this.ts, info.project, log, faults);
      registerFixableCodes(this.ts, analysis.ruleCodes, log);
      const state = new ProjectState(info.project, analysis, log);
      state.created(info.config);
      const decorated = decorateLanguageService(this.ts, info.languageService, analysis, log);
      Object.defineProperty(holder, PROJECT_STATE, { value: state, configurable: true, enumerable: false, writable: false });
      this.projects.add(state);
      log.info(`decorating the language service of ${info.project.getProjectName()}`);
      return decorated;
    } catch (error) {
      log.info(`could not start; TypeScript runs without it: ${describeError(error)}`);
      return info.languageService;
    }
  }

  onConfigurationChanged(config: unknown): void {
    for (const project of this.projects) {
      try {
        project.configured(config);
      } catch {
        // A project closed meanwhile; nothing to update.
      }
    }
  }
}

/**
 * VS Code asks tsserver which codes have quick fixes once, without a file name, and tsserver answers from
 * TypeScript's global code-fix registry (not from the language service), so our codes are added there.
 * The registered entry offers nothing itself: the decorated language service answers for our codes.
 */
function registerFixableCodes(ts: TypeScriptModule, codes: readonly number[], log: PluginLogger): void {
  const codefix = (ts as unknown as { codefix?: { registerCodeFix?: (registration: object) => void } }).codefix;
  if (typeof codefix?.registerCodeFix !== 'function' || typeof ts.getSupportedCodeFixes !== 'function') {
    log.info('this TypeScript has no code-fix registry; editors that ask for fixable codes without a file will not offer our quick fixes');
    return;
  }
  const known = new Set(ts.getSupportedCodeFixes());
  const missing = codes.filter(c => !known.has(String(c)));
  if (missing.length) codefix.registerCodeFix({ errorCodes: missing, getCodeActions: () => undefined });
}
