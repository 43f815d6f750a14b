/**
 * The API's shapes as the page reads them: inferred from the server's zod schemas
 * (src/api/*.schemas.ts, which import only zod), so that a change there fails
 * `npm run typecheck` here instead of in an agent's browser. Type-only imports: no server code
 * reaches the bundle.
 */
import type { z } from 'zod';
import type * as auth from '../../src/api/auth.schemas.js';
import type * as customers from '../../src/api/customers.schemas.js';
import type * as events from '../../src/api/events.schemas.js';
import type * as inbox from '../../src/api/inbox.schemas.js';
import type * as search from '../../src/api/search.schemas.js';
import type * as templates from '../../src/api/templates.schemas.js';

export type Role = 'admin' | 'agente';
export type Principal = auth.Principal;

export type Filter = inbox.InboxFilter;
export type ConversationEntry = inbox.ConversationEntry;
export type ConversationPage = inbox.ConversationList;
export type InboxSummary = inbox.InboxSummary;
export type ThreadMessage = inbox.ThreadMessage;
export type ThreadPage = inbox.ThreadPage;

export type CustomerPanelData = customers.CustomerPanel;
export type CustomerCandidate = customers.CustomerMatch;
export type CustomerCandidates = customers.CustomerSearch;
export type SearchResults = search.SearchResult;

export type Template = templates.Plantilla;
export type TemplateList = templates.PlantillasResponse;
export type TemplateData = templates.DatosPlantilla;
export type TemplateDataResponse = templates.DatosPlantillaResponse;
export type CannedReply = templates.RespuestaRapida;
export type CannedReplies = z.infer<typeof templates.respuestasRapidasResponseSchema>;

export type LiveEvent = events.LiveEvent;
