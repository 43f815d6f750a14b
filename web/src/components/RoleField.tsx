import type { Rol } from '../../../src/api/admin.schemas.js';

/** The role of a new agent or API token, with what each role may do. */
export function RoleField({ id, value, onChange, hint }: { id: string; value: Rol; onChange: (rol: Rol) => void; hint: string }) {
  return (
    <div class="field">
      <label for={id}>Rol</label>
      <select id={id} name="rol" value={value} aria-describedby={`${id}-hint`} onChange={(e) => onChange(e.currentTarget.value as Rol)}>
        <option value="agente">Agente</option>
        <option value="admin">Administrador</option>
      </select>
      <p id={`${id}-hint`} class="field-hint muted">
        {hint}
      </p>
    </div>
  );
}
