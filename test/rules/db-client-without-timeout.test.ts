import * as assert from 'node:assert/strict';
import { MCP_HEADER, expectFires, expectFixWorks, expectQuiet } from '../helpers/rules';

const ID = 'db-client-without-timeout';

describe(`rule ${ID}`, () => {
  describe('fires', () => {
    it('on a pg Pool with neither a connect nor a statement timeout', () => {
      const [f] = expectFires(ID, `${MCP_HEADER}import { Pool } from 'pg';\nexport const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });\n`);
      assert.match(f.message, /no `connectionTimeoutMillis` \(pg waits for ever to connect, and for a free client when every client is busy\)/);
      assert.match(f.message, /no `statement_timeout`.*unless your connection string sets one/);
    });
    it('on a pg Client from a URL literal whose parameters set no connect timeout, and on a Pool with only one of the two', () => {
      const found = expectFires(
        ID,
        `${MCP_HEADER}import pg from 'pg';\nexport const client = new pg.Client('postgres://app@db/app?statement_timeout=30000');\nexport const pool = new pg.Pool({ connectionTimeoutMillis: 5_000 });\nexport const reports = new pg.Pool({ connectionTimeoutMillis: 0, statement_timeout: 30_000 });\n`,
        3,
      );
      assert.doesNotMatch(found[0].message, /no `statement_timeout`/);
      assert.match(found[1].message, /no `statement_timeout`/);
      assert.match(found[2].message, /`connectionTimeoutMillis: 0` means no limit/);
    });
    it('on MongoClient without socketTimeoutMS (constructor and MongoClient.connect)', () => {
      const found = expectFires(
        ID,
        `${MCP_HEADER}import { MongoClient } from 'mongodb';\nexport const a = new MongoClient('mongodb://db:27017/app?retryWrites=true');\nexport const b = MongoClient.connect(process.env.MONGO_URL!, { maxPoolSize: 20 });\nexport const c = new MongoClient('mongodb://db', { socketTimeoutMS: 0 });\n`,
        3,
      );
      assert.match(found[0].message, /the driver's default is 0/);
      assert.match(found[1].message, /unless your connection string sets it/);
      assert.match(found[2].message, /`socketTimeoutMS: 0` turns the MongoDB driver's socket timeout off/);
    });
    it('on ioredis without commandTimeout', () => {
      expectFires(ID, `${MCP_HEADER}import Redis from 'ioredis';\nexport const a = new Redis();\nexport const b = new Redis(6379, 'cache.internal');\nexport const c = new Redis({ host: 'cache', connectTimeout: 2_000 });\n`, 3);
    });
    it('on timeouts turned off in mysql2 and node-redis', () => {
      expectFires(
        ID,
        `${MCP_HEADER}import mysql from 'mysql2/promise';\nimport { createClient } from 'redis';\nexport const pool = mysql.createPool({ host: 'db', connectTimeout: 0 });\nexport const redis = createClient({ socket: { host: 'cache', connectTimeout: 0 } });\nexport const queue = createClient({ commandOptions: { timeout: 0 } });\n`,
        3,
      );
    });
    it('in CommonJS (server.js)', () => {
      expectFires(
        ID,
        `const { McpServer } = require('@modelcontextprotocol/sdk/server/mcp.js');\nconst { Pool } = require('pg');\nconst Redis = require('ioredis');\nconst pool = new Pool();\nconst redis = new Redis(process.env.REDIS_URL);\nmodule.exports = { pool, redis, McpServer };\n`,
        2,
        'server.js',
      );
    });
  });

  describe('stays quiet', () => {
    it('for pg with both timeouts (the playbook pattern), in options, the options string or a literal URL', () => {
      expectQuiet(
        ID,
        `${MCP_HEADER}import { Pool, Client } from 'pg';\nexport const a = new Pool({ connectionString: process.env.DATABASE_URL, connectionTimeoutMillis: 5_000, statement_timeout: 30_000, idle_in_transaction_session_timeout: 30_000 });\n` +
          `export const b = new Pool({ connectionTimeoutMillis: 5_000, query_timeout: 30_000 });\nexport const c = new Client({ connectionString: 'postgres://db/app?statement_timeout=30000', connectionTimeoutMillis: 5_000 });\nexport const d = new Client({ connectionTimeoutMillis: 5_000, options: '-c statement_timeout=30000' });\n`,
      );
    });
    it('for MongoDB and ioredis with their timeouts, also in the URL', () => {
      expectQuiet(
        ID,
        `${MCP_HEADER}import { MongoClient } from 'mongodb';\nimport Redis from 'ioredis';\nexport const a = new MongoClient(process.env.MONGO_URL!, { socketTimeoutMS: 30_000 });\nexport const b = new MongoClient('mongodb://db/app?socketTimeoutMS=30000');\nexport const c = new Redis({ commandTimeout: 1_000 });\nexport const d = new Redis('redis://cache:6379', { commandTimeout: 1_000 });\n`,
      );
    });
    it('for mysql2 and node-redis with their defaults (10 s and 5 s connect timeouts), and for configs built elsewhere', () => {
      expectQuiet(
        ID,
        `${MCP_HEADER}import mysql from 'mysql2/promise';\nimport { createClient } from 'redis';\nimport { Pool, type PoolConfig } from 'pg';\nexport const a = mysql.createPool({ host: 'db', connectionLimit: 10 });\nexport const b = createClient({ url: process.env.REDIS_URL });\nexport function make(config: PoolConfig) { return new Pool({ ...config }); }\nexport function make2(config: PoolConfig) { return new Pool(config); }\n`,
      );
    });
  });

  describe('fix', () => {
    it('adds connectionTimeoutMillis and statement_timeout to pg, one per line in a multi-line object', () => {
      const fixed = expectFixWorks(
        ID,
        `${MCP_HEADER}import { Pool, Client } from 'pg';\nexport const pool = new Pool({\n  connectionString: process.env.DATABASE_URL,\n  max: 10,\n});\nexport const bare = new Pool();\nexport const client = new Client('postgres://app@db/app');\nexport const off = new Pool({ connectionTimeoutMillis: 0, statement_timeout: false });\n`,
      );
      assert.match(fixed, /  max: 10,\n  connectionTimeoutMillis: 5_000,\n  statement_timeout: 30_000,\n\}\)/);
      assert.match(fixed, /new Pool\(\{ connectionTimeoutMillis: 5_000, statement_timeout: 30_000 \}\)/);
      assert.match(fixed, /new Client\(\{ connectionString: 'postgres:\/\/app@db\/app', connectionTimeoutMillis: 5_000, statement_timeout: 30_000 \}\)/);
      assert.match(fixed, /new Pool\(\{ connectionTimeoutMillis: 5_000, statement_timeout: 30_000 \}\);\n$/);
    });
    it('adds socketTimeoutMS to MongoDB and commandTimeout to ioredis', () => {
      const fixed = expectFixWorks(
        ID,
        `${MCP_HEADER}import { MongoClient } from 'mongodb';\nimport Redis from 'ioredis';\nexport const a = new MongoClient('mongodb://db:27017/app');\nexport const b = MongoClient.connect('mongodb://db', { maxPoolSize: 20 });\nexport const c = new Redis(6379, 'cache.internal');\nexport const d = new Redis({ host: 'cache', connectTimeout: 0 });\n`,
      );
      assert.match(fixed, /new MongoClient\('mongodb:\/\/db:27017\/app', \{ socketTimeoutMS: 30_000 \}\)/);
      assert.match(fixed, /\{ maxPoolSize: 20, socketTimeoutMS: 30_000 \}/);
      assert.match(fixed, /new Redis\(6379, 'cache\.internal', \{ commandTimeout: 30_000 \}\)/);
      assert.match(fixed, /new Redis\(\{ host: 'cache', connectTimeout: 5_000, commandTimeout: 30_000 \}\)/);
    });
    it('restores mysql2 and node-redis timeouts turned off', () => {
      expectFixWorks(
        ID,
        `${MCP_HEADER}import mysql from 'mysql2/promise';\nimport { createClient } from 'redis';\nexport const pool = mysql.createPool({ host: 'db', connectTimeout: 0 });\nexport const redis = createClient({ socket: { host: 'cache', connectTimeout: 0 }, commandOptions: { timeout: 0 } });\n`,
      );
    });
    it('fixes CommonJS code (server.js)', () => {
      const fixed = expectFixWorks(
        ID,
        `const { McpServer } = require('@modelcontextprotocol/sdk/server/mcp.js');\nconst { Pool } = require('pg');\nconst pool = new Pool({ max: 5 });\nmodule.exports = { pool, McpServer };\n`,
        'server.js',
      );
      assert.match(fixed, /new Pool\(\{ max: 5, connectionTimeoutMillis: 5_000, statement_timeout: 30_000 \}\)/);
    });
  });
});
