import { expect, it } from 'vitest';
import { authenticate, signIn } from '../src/auth/auth.repository.js';
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
    const notEmail = await charla(target.urlText, 'agents', 'add', 'carla-at-example', '--name', 'X');
    expect(notEmail.code).toBe(1);
    expect(notEmail.stderr).toContain('"carla-at-example" is not an e-mail address');
    const badId = await charla(target.urlText, 'tokens', 'revoke', 'abc');
    expect(badId.code).toBe(2);
    expect(badId.stderr).toContain('not a token id');

    const created = await charla(target.urlText, 'tokens', 'create', 'sistema de cobranzas');
    const token = created.stdout.split('\n').at(-1) as string;
    expect(token).toMatch(/^cht_/);

    const database = await target.open();
    try {
      const session = await signIn(database.kysely, 'carla@example.com', password);
      expect(session?.principal).toMatchObject({ kind: 'agent', name: 'Carla Rojas', role: 'admin' });
      expect(await signIn(database.kysely, 'carla@example.com', `${password}x`)).toBeNull();
      expect(await authenticate(database.kysely, token)).toMatchObject({ kind: 'token', name: 'sistema de cobranzas', role: 'agent' });
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
});
