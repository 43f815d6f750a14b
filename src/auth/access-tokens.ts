import { decodeJwt, errors, jwtVerify, SignJWT, type JWTPayload } from 'jose';

/**
 * The JWT access tokens of the original front end's sign-in (docs/decisions.md, "Sign-in of the
 * original front end"), signed and checked by `jose`, HS256 only (`alg: none` and every other
 * algorithm are refused).
 *
 * Charla's own carry the original's claims (`sub` = agent id, `type: "access"`, `exp`) plus `iss:
 * "charla"` and `sid`, the session they belong to: a token is only as good as its session, which
 * sign-out, a password change, deactivation and refresh-token reuse end at once. The original
 * backend's (LEGACY_JWT_SECRET) have no session; they stand for the agent imported from user `sub`.
 */

/** How long an access token lasts (the original's were about 4 hours), at most its session's end. */
export const ACCESS_TOKEN_SECONDS = 4 * 3600;
const ISSUER = 'charla';
const ALGORITHMS = ['HS256'];

export type VerifiedAccessToken =
  /** One Charla issued: the session's `charla_sesiones.token_hash`. */
  | { kind: 'charla'; agentId: number; sessionHash: string }
  /** One the original backend issued: its `users.id`. */
  | { kind: 'legacy'; userId: string };

/** Three base64url parts: what the original front end accepts as a token, and what is tried as one here. */
export function looksLikeJwt(text: string): boolean {
  return /^[\w-]+\.[\w-]+\.[\w-]*$/.test(text);
}

export class AccessTokens {
  private readonly own: Uint8Array;
  private readonly legacy: Uint8Array | null;

  /** `ownKey`: JWT_SECRET or the key kept in the database; `legacyKey`: LEGACY_JWT_SECRET. */
  constructor(ownKey: string, legacyKey: string | undefined) {
    this.own = new TextEncoder().encode(ownKey);
    this.legacy = legacyKey ? new TextEncoder().encode(legacyKey) : null;
  }

  /** A signed access token for agent `agentId` in session `sessionHash`, ending at `expiresAt` (whole seconds). */
  async issue(token: { agentId: number; sessionHash: string; expiresAt: Date }): Promise<string> {
    return new SignJWT({ type: 'access', sid: token.sessionHash })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(ISSUER)
      .setSubject(String(token.agentId))
      .setIssuedAt()
      .setExpirationTime(Math.floor(token.expiresAt.getTime() / 1000))
      .sign(this.own);
  }

  /**
   * The token's claims when it is a valid, unexpired access token signed with one of the keys;
   * null for anything else (a bad signature, another algorithm, `type` other than `access`, no
   * `sub`, expired, or the original's token while LEGACY_JWT_SECRET is unset).
   */
  async verify(token: string, now = new Date()): Promise<VerifiedAccessToken | null> {
    let claims: JWTPayload;
    try {
      claims = decodeJwt(token);
    } catch {
      return null;
    }
    const ours = claims.iss === ISSUER;
    const key = ours ? this.own : this.legacy;
    if (!key) return null;
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, key, {
        algorithms: ALGORITHMS,
        currentDate: now,
        requiredClaims: ['sub', 'exp'],
        ...(ours ? { issuer: ISSUER } : {}),
      }));
    } catch (error) {
      if (error instanceof errors.JOSEError) return null;
      throw error;
    }
    if (payload['type'] !== 'access' || typeof payload.sub !== 'string' || payload.sub === '') return null;
    if (!ours) return { kind: 'legacy', userId: payload.sub };
    const agentId = Number(payload.sub);
    const sid = payload['sid'];
    if (!Number.isSafeInteger(agentId) || agentId <= 0 || typeof sid !== 'string' || sid === '') return null;
    return { kind: 'charla', agentId, sessionHash: sid };
  }
}
