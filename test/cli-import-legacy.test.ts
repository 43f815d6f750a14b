import bcrypt from 'bcryptjs';
import { SignJWT } from 'jose';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { createAgent } from '../src/auth/agents.repository.js';
import { charla } from './helpers/cli.js';
import { describeEachDatabase } from './helpers/test-database.js';
import { testApp } from './helpers/webhook.js';

/**
 * `charla agents import-legacy`: the original system's users become agents who sign in with their
 * original passwords (bcrypt, as passlib stored them), admins staying admins.
 */
describeEachDatabase('charla agents import-legacy', ({ fresh }) => {
  it("creates agents from the original's users table; they sign in with the original password", async () => {
    const target = await fresh({ onDisk: true });
    expect((await charla(target.urlText, 'db', 'upgrade', 'head')).code).toBe(0);
    // PGlite allows one process at a time: the database is closed while the CLI runs.
    let database = await target.open();
    try {
      let db = database.kysely;
      await createAgent(db, database.support, {
        email: 'carla@example.com',
        nombre: 'Carla',
        password: 'la-clave-de-charla',
        rol: 'agente',
      });
      // The original's table, as its backend created it (only the columns the import reads).
      await sql`create table users (id integer primary key, email varchar(255), nombre varchar(100), apellido varchar(100),
        hashed_password varchar(255), is_admin boolean, is_active boolean)`.execute(db);
      const hash = (password: string) => bcrypt.hashSync(password, 4);
      const users = [
        [1, 'Ana@Example.com', 'Ana', 'Suárez', hash('clave-original-de-ana'), true, true],
        [2, 'beto@example.com', 'Beto', 'Ruiz', hash('clave-original-de-beto'), false, false],
        [3, 'carla@example.com', 'Carla', 'Rojas', hash('otra-clave'), false, true],
        [4, 'sin-correo', 'Nadie', '', hash('x'), false, true],
        [5, 'dora@example.com', 'Dora', 'Paz', 'pbkdf2_sha256$29000$abc$def', false, true],
      ] as const;
      for (const [id, email, nombre, apellido, hashed, admin, active] of users)
        await sql`insert into users values (${id}, ${email}, ${nombre}, ${apellido}, ${hashed}, ${admin}, ${active})`.execute(db);

      await database.close();
      const dry = await charla(target.urlText, 'agents', 'import-legacy', '--dry-run');
      expect(dry.code, dry.stderr).toBe(0);
      expect(dry.stdout).toContain('user 1 ana@example.com: would be imported (admin)');
      expect(dry.stdout).toContain('Dry run, nothing changed: 2 imported, 1 tied to existing agents, 0 imported before, 2 skipped.');
      const run = await charla(target.urlText, 'agents', 'import-legacy');
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/user 1 ana@example\.com: imported as agent \d+ \(admin\)/);
      expect(run.stdout).toMatch(/user 3 carla@example\.com: tied to existing agent \d+/);
      expect(run.stdout).toContain('user 4 sin-correo: skipped, no valid e-mail address');
      expect(run.stdout).toMatch(/user 5 dora@example\.com: skipped, its password hash is not bcrypt/);
      expect(run.stdout).toContain('2 imported, 1 tied to existing agents, 0 imported before, 2 skipped.');
      database = await target.open();
      db = database.kysely;
      const agents = await db
        .selectFrom('charla_agentes')
        .select(['email', 'nombre', 'rol', 'activo', 'usuario_original_id'])
        .orderBy('email')
        .execute();
      expect(agents.map((a) => ({ ...a, activo: Boolean(a.activo) }))).toEqual([
        { email: 'ana@example.com', nombre: 'Ana Suárez', rol: 'admin', activo: true, usuario_original_id: '1' },
        { email: 'beto@example.com', nombre: 'Beto Ruiz', rol: 'agente', activo: false, usuario_original_id: '2' },
        { email: 'carla@example.com', nombre: 'Carla', rol: 'agente', activo: true, usuario_original_id: '3' },
      ]);

      const app = await testApp(database, { LEGACY_JWT_SECRET: 'secreto-del-original' });
      try {
        const login = (email: string, password: string) =>
          app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
        const ana = await login('ana@example.com', 'clave-original-de-ana');
        expect(ana.statusCode).toBe(200);
        expect(ana.json()).toMatchObject({ user: { nombre: 'Ana Suárez', is_admin: true } });
        // Verified once with bcrypt, then kept with Charla's own scheme; the password still works.
        const stored = await db
          .selectFrom('charla_agentes')
          .select('clave_hash')
          .where('email', '=', 'ana@example.com')
          .executeTakeFirstOrThrow();
        expect(stored.clave_hash).toMatch(/^scrypt\$/);
        expect((await login('ana@example.com', 'clave-original-de-ana')).statusCode).toBe(200);
        expect((await login('ana@example.com', 'clave-equivocada')).statusCode).toBe(401);
        // Inactive in the original: cannot sign in. Tied by e-mail: Charla's password, not the original's.
        expect((await login('beto@example.com', 'clave-original-de-beto')).statusCode).toBe(401);
        expect((await login('carla@example.com', 'otra-clave')).statusCode).toBe(401);
        expect((await login('carla@example.com', 'la-clave-de-charla')).statusCode).toBe(200);
        // A token the original backend issued for user 1 stands for Ana.
        const token = await new SignJWT({ type: 'access' })
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject('1')
          .setExpirationTime('1h')
          .sign(new TextEncoder().encode('secreto-del-original'));
        const me = await app.inject({ url: '/api/v1/auth/me', headers: { authorization: `Bearer ${token}` } });
        expect(me.json()).toMatchObject({ email: 'ana@example.com', is_admin: true });
      } finally {
        await app.close();
      }

      await database.close();
      const again = await charla(target.urlText, 'agents', 'import-legacy');
      expect(again.stdout).toContain('0 imported, 0 tied to existing agents, 3 imported before, 2 skipped.');
      const missing = await charla(target.urlText, 'agents', 'import-legacy', '--table', 'usuarios');
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain('There is no table "usuarios"');
      database = await target.open();
    } finally {
      await database.close();
    }
  }, 120_000);
});
