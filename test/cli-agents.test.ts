import { expect, it } from 'vitest';
import { createAgent } from '../src/auth/agents.repository.js';
import { authenticate, createApiToken } from '../src/auth/auth.repository.js';
import { signIn } from '../src/auth/auth.service.js';
import { CharlaError } from '../src/errors/charla-error.js';
import { charla } from './helpers/cli.js';
import { describeEachDatabase } from './helpers/test-database.js';

describeEachDatabase('charla agents and charla tokens', ({ fresh }) => {
  it('adds an agent who can then sign in, lists agents, and creates and revokes API tokens', async () => {
    const target = await fresh({ onDisk: true });
    expect((await charla(target.urlText, 'db', 'upgrade', 'head')).code).toBe(0);
    expect((await charla(target.urlText, 'agents', 'list')).stdout).toContain('No agents yet');

    const added = await charla(target.urlText, 'agents', 'add', 'Carla@Example.com', '--name', 'Carla Rojas', '--role', 'admin');
    expect(added.code).toBe(0);
    const password = /Password \(shown only now\): (\S+)/.exec(added.stdout)?.[1] as string;
    expect(password).toHaveLength(24);
    expect((await charla(target.urlText, 'agents', 'list')).stdout).toMatch(/carla@example\.com\s+admin\s+active\s+Carla Rojas/);
    const again = await charla(target.urlText, 'agents', 'add', 'carla@example.com', '--name', 'Otra');
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('AGENT_EXISTS');
    expect((await charla(target.urlText, 'agents', 'add', 'x@example.com', '--name', 'X', '--role', 'boss')).code).toBe(2);
    // The stored value is Spanish (docs/glossary.md); the English one is refused like any other.
    const english = await charla(target.urlText, 'agents', 'add', 'x@example.com', '--name', 'X', '--role', 'agent');
    expect(english.code).toBe(2);
    expect(english.stderr).toContain('admin, agente');
    const notEmail = await charla(target.urlText, 'agents', 'add', 'carla-at-example', '--name', 'X');
    expect(notEmail.code).toBe(1);
    expect(notEmail.stderr).toContain('"carla-at-example" is not an e-mail address');
    const badId = await charla(target.urlText, 'tokens', 'revoke', 'abc');
    expect(badId.code).toBe(2);
    expect(badId.stderr).toContain('not a token id');

    const created = await charla(target.urlText, 'tokens', 'create', 'sistema de cobranzas');
    const token = created.stdout.split('\n').at(-1) as string;
    expect(token).toMatch(/^cht_/);
    expect(created.stdout).toContain('(agente) for "sistema de cobranzas"');

    const database = await target.open();
    try {
      const session = await signIn(database.kysely, 'carla@example.com', password);
      expect(session?.principal).toMatchObject({ kind: 'agent', name: 'Carla Rojas', role: 'admin' });
      expect(await signIn(database.kysely, 'carla@example.com', `${password}x`)).toBeNull();
      expect(await authenticate(database.kysely, token)).toMatchObject({ kind: 'token', name: 'sistema de cobranzas', role: 'agente' });
      const id = /^Token (\d+)/.exec(created.stdout)?.[1] as string;
      await database.close();
      expect((await charla(target.urlText, 'tokens', 'revoke', id)).stdout).toBe(`Token ${id} revoked.`);
      const reopened = await target.open();
      try {
        expect(await authenticate(reopened.kysely, token)).toBeNull();
      } finally {
        await reopened.close();
      }
    } catch (error) {
      await database.close().catch(() => undefined);
      throw error;
    }
  });

  it('refuses over-long, empty and NUL names with one FAILED (INPUT_INVALID) line and exit 1, storing nothing', async () => {
    const target = await fresh({ onDisk: true });
    expect((await charla(target.urlText, 'db', 'upgrade', 'head')).code).toBe(0);
    const refusals: [args: string[], field: RegExp][] = [
      [['agents', 'add', 'x@y.com', '--name', 'n'.repeat(300)], /name \(nombre\) must have at most 200 characters \(it has 300\)/],
      [['agents', 'add', 'x@y.com', '--name', 'Ana\u0000Rojas'], /name \(nombre\) must not contain the NUL character/],
      [['agents', 'add', 'x@y.com', '--name', ''], /name \(nombre\) must not be empty/],
      [['agents', 'add', 'x@y.com', '--name', '   '], /name \(nombre\) must not be empty/],
      [['agents', 'add', 'x@y.com', '--name', 'Ana\ud800'], /name \(nombre\) must not contain unpaired UTF-16 surrogates/],
      [['agents', 'add', `${'x'.repeat(200)}@y.com`, '--name', 'X'], /e-mail must have at most 200 characters/],
      [['agents', 'add', 'x\u0000@y.com', '--name', 'X'], /e-mail must not contain the NUL character/],
      [['tokens', 'create', 't'.repeat(101)], /token's name \(nombre\) must have at most 100 characters \(it has 101\)/],
      [['tokens', 'create', 'caja\u0000'], /token's name \(nombre\) must not contain the NUL character/],
      [['tokens', 'create', '  '], /token's name \(nombre\) must not be empty/],
    ];
    for (const [args, message] of refusals) {
      const run = await charla(target.urlText, ...args);
      const label = JSON.stringify(args).slice(0, 80);
      expect(run.code, `${label}: ${run.stderr}`).toBe(1);
      expect(run.stderr.split('\n'), label).toHaveLength(1);
      expect(run.stderr, label).toMatch(/^FAILED \(INPUT_INVALID\): /);
      expect(run.stderr, label).toMatch(message);
      expect(run.stdout, label).toBe('');
    }
    expect((await charla(target.urlText, 'agents', 'list')).stdout).toContain('No agents yet');

    // The repository checks the same rules when called directly.
    const database = await target.open();
    try {
      const invalid = { code: 'INPUT_INVALID' };
      await expect(
        createAgent(database.kysely, database.support, {
          email: 'a@b.com',
          nombre: 'n'.repeat(201),
          password: 'larga-clave-1',
          rol: 'agente',
        }),
      ).rejects.toMatchObject(invalid);
      await expect(
        createAgent(database.kysely, database.support, { email: 'a@b.com', nombre: 'Ana', password: 'larga-clave\u0000', rol: 'agente' }),
      ).rejects.toThrow(/password must not contain the NUL character/);
      await expect(createApiToken(database.kysely, database.support, { nombre: '', rol: 'agente' })).rejects.toBeInstanceOf(CharlaError);
      await expect(createApiToken(database.kysely, database.support, { nombre: 't'.repeat(101), rol: 'agente' })).rejects.toMatchObject(
        invalid,
      );
      expect(await database.kysely.selectFrom('charla_agentes').select('id').execute()).toEqual([]);
      expect(await database.kysely.selectFrom('charla_tokens_api').select('id').execute()).toEqual([]);
      // 200 characters (astral ones too) fit the column.
      const id = await createAgent(database.kysely, database.support, {
        email: 'a@b.com',
        nombre: ' 😀'.repeat(100),
        password: 'larga-clave-1',
        rol: 'agente',
      });
      const stored = await database.kysely.selectFrom('charla_agentes').select('nombre').where('id', '=', id).executeTakeFirstOrThrow();
      expect(stored.nombre).toBe(' 😀'.repeat(100).trim());
    } finally {
      await database.close();
    }
  });
});
