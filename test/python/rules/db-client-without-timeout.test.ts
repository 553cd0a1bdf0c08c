import * as assert from 'node:assert/strict';
import { FASTMCP_HEADER, expectPyFires, expectPyFixWorks, expectPyQuiet, loadPythonParser } from '../../helpers/python';

const ID = 'db-client-without-timeout';

describe(`python: ${ID}`, () => {
  before(loadPythonParser);

  describe('fires', () => {
    it('asyncpg create_pool / connect without command_timeout', () => {
      expectPyFires(ID, `import asyncpg\nimport os\n${FASTMCP_HEADER}\nasync def pool():\n    return await asyncpg.create_pool(os.environ["DATABASE_URL"], min_size=1, max_size=10)\n\nasync def one():\n    return await asyncpg.connect(dsn=os.environ["DATABASE_URL"], timeout=10)\n`, 2);
    });
    it('psycopg2 / psycopg connect without connect_timeout', () => {
      expectPyFires(ID, `import os\nimport psycopg2\nimport psycopg\n${FASTMCP_HEADER}\nconn = psycopg2.connect(os.environ["DATABASE_URL"])\naconn = psycopg.connect(host="db", dbname="app")\n`, 2);
    });
    it('redis without socket_timeout, SQLAlchemy PostgreSQL engine without a connect timeout, pool_timeout=None', () => {
      expectPyFires(ID, `import redis\nfrom sqlalchemy import create_engine\n${FASTMCP_HEADER}\ncache = redis.Redis(host="cache", port=6379)\nengine = create_engine("postgresql+psycopg2://app@db/app")\nother = create_engine("sqlite:///x.db", pool_timeout=None)\n`, 3);
    });
  });

  describe('stays quiet', () => {
    it('asyncpg with command_timeout (keyword or in the DSN), or **kwargs', () => {
      expectPyQuiet(ID, `import asyncpg\n${FASTMCP_HEADER}\nasync def pool(**opts):\n    await asyncpg.create_pool("postgresql://db/app", command_timeout=30)\n    await asyncpg.connect("postgresql://db/app?command_timeout=30")\n    await asyncpg.create_pool(**opts)\n`);
    });
    it('psycopg with connect_timeout (keyword or DSN), redis with socket_timeout', () => {
      expectPyQuiet(ID, `import psycopg2\nimport redis\n${FASTMCP_HEADER}\npsycopg2.connect("dbname=app connect_timeout=5")\npsycopg2.connect(host="db", connect_timeout=5)\nredis.Redis(host="cache", socket_timeout=5)\nredis.from_url("redis://cache:6379/0?socket_timeout=5")\n`);
    });
    it('SQLAlchemy with connect_args or an asyncpg / sqlite URL, and a local connect()', () => {
      expectPyQuiet(ID, `from sqlalchemy import create_engine\n${FASTMCP_HEADER}\ndef connect(x):\n    return x\n\ncreate_engine("postgresql://app@db/app", connect_args={"connect_timeout": 5})\ncreate_engine("postgresql+asyncpg://app@db/app")\ncreate_engine("sqlite:///x.db")\nconnect("db")\n`);
    });
  });

  describe('fix', () => {
    it('adds the missing timeouts', () => {
      const fixed = expectPyFixWorks(ID, `import asyncpg\nimport psycopg2\nimport redis\nfrom sqlalchemy import create_engine\n${FASTMCP_HEADER}\nasync def pool():\n    return await asyncpg.create_pool("postgresql://db/app")\n\nconn = psycopg2.connect("dbname=app")\ncache = redis.Redis(host="cache", socket_timeout=None)\nengine = create_engine("postgresql://app@db/app", pool_size=5)\nother = create_engine("sqlite:///x.db", pool_timeout=None)\n`);
      assert.match(fixed, /create_pool\("postgresql:\/\/db\/app", command_timeout=30\)/);
      assert.match(fixed, /psycopg2\.connect\("dbname=app", connect_timeout=5\)/);
      assert.match(fixed, /socket_timeout=30/);
      assert.match(fixed, /pool_size=5, connect_args=\{"connect_timeout": 5\}/);
      assert.match(fixed, /pool_timeout=30/);
    });
  });
});
