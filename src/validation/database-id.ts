import { z } from 'zod';

/** The largest id an INTEGER column holds on every database (2³¹ − 1). */
export const MAX_DATABASE_ID = 2_147_483_647;

/** A row id in a path or query: a whole number from 1 to 2³¹ − 1 (beyond it, 400 naming the parameter, not a database error). */
export const databaseId = z.coerce.number().int().positive().max(MAX_DATABASE_ID);
