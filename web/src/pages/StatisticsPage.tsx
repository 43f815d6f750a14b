import type { ComponentChildren } from 'preact';
import { useLocation } from 'preact-iso';
import { useEffect, useRef, useState } from 'preact/hooks';
// uPlot is imported only here: this page is a lazy chunk, so the charts stay out of the first load.
// Its stylesheet is in styles.css ("Statistics page: uPlot"), since a lazy chunk's CSS is not loaded.
import uPlot from 'uplot';
import type { EstadisticasRespuesta } from '../../../src/api/statistics.schemas.js';
import { api, ApiError } from '../api.js';

type Range = '7' | '30' | '90';
const RANGES: readonly Range[] = ['7', '30', '90'];

/** Colours with at least 3:1 contrast on white (WCAG 1.4.11); the second series of a chart is also dashed. */
const COLOURS = { green: '#116149', blue: '#1d5fd1', orange: '#b45309', purple: '#6d28d9', red: '#b91c1c', grey: '#4a5565' };

const numbers = new Intl.NumberFormat('es');
const count = (n: number): string => numbers.format(n);

/** A calendar day (YYYY-MM-DD, already in the lender's zone) as a date that formats the same everywhere. */
const dayDate = (day: string): Date => {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1, 12));
};
const shortDayFormat = new Intl.DateTimeFormat('es', { day: 'numeric', month: 'short', timeZone: 'UTC' });
const longDayFormat = new Intl.DateTimeFormat('es', { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' });
const fullDayFormat = new Intl.DateTimeFormat('es', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
const shortDay = (day: string): string => shortDayFormat.format(dayDate(day));
const longDay = (day: string): string => longDayFormat.format(dayDate(day));

/** "45 s", "3 min 20 s", "2 h 5 min"; "—" when there is no value. */
export function seconds(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  const s = Math.round(value);
  if (s < 60) return `${s} s`;
  if (s < 3600) return s % 60 === 0 ? `${Math.floor(s / 60)} min` : `${Math.floor(s / 60)} min ${s % 60} s`;
  const minutes = Math.round(s / 60);
  return minutes % 60 === 0 ? `${Math.floor(minutes / 60)} h` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** A duration axis label: whole units only ("30 s", "5 min", "2 h"). */
const axisSeconds = (s: number): string => (s < 60 ? `${s} s` : s < 3600 ? `${Math.round(s / 60)} min` : `${+(s / 3600).toFixed(1)} h`);

interface Series {
  label: string;
  values: readonly (number | null)[];
  color: string;
  dashed?: boolean;
  /** The figure shown in the legend when no day is pointed at. */
  total: string;
}

interface ChartProps {
  id: string;
  title: string;
  /** What the chart counts, in one sentence (docs/inbox.md). */
  description: string;
  days: readonly string[];
  series: readonly Series[];
  /** Seconds instead of counts (the first-response chart). */
  durations?: boolean;
}

const COUNT_STEPS = [
  1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10_000, 20_000, 50_000, 100_000, 250_000, 500_000, 1e6,
];
const SECOND_STEPS = [10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400, 172_800];
const DAY_STEPS = [1, 2, 3, 5, 7, 14, 15, 30];

const chartHeight = (width: number): number => (width < 500 ? 190 : 240);

/** One uPlot line chart of per-day values, its legend (the day pointed at, or the totals) and the same numbers as a table. */
function DailyChart({ id, title, description, days, series, durations = false }: ChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const [pointed, setPointed] = useState<number | null>(null);

  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const axis = {
      stroke: COLOURS.grey,
      grid: { stroke: '#e6e9ee', width: 1 },
      ticks: { stroke: '#d9dee5', width: 1 },
      font: '12px system-ui, sans-serif',
    };
    const options: uPlot.Options = {
      width: Math.max(element.clientWidth, 200),
      height: chartHeight(element.clientWidth),
      legend: { show: false },
      cursor: { y: false, drag: { x: false, y: false, setScale: false }, points: { size: 8 } },
      scales: {
        x: { time: false, range: () => [0, Math.max(days.length - 1, 1)] },
        y: {
          range: (_u, _min, max) => [0, uPlot.rangeNum(0, Math.max(max ?? 0, durations ? 60 : 4), 0.1, true)[1] ?? 4],
        },
      },
      axes: [
        {
          ...axis,
          space: 56,
          incrs: DAY_STEPS,
          values: (_u, splits) => splits.map((i) => (Number.isInteger(i) && days[i] !== undefined ? shortDay(days[i]) : '')),
        },
        {
          ...axis,
          size: durations ? 64 : 52,
          space: 36,
          incrs: durations ? SECOND_STEPS : COUNT_STEPS,
          values: (_u, splits) => splits.map((v) => (durations ? axisSeconds(v) : count(v))),
        },
      ],
      series: [
        {},
        ...series.map((s) => ({
          label: s.label,
          stroke: s.color,
          width: 2,
          ...(s.dashed ? { dash: [7, 4] } : {}),
          spanGaps: false,
          points: { show: days.length <= 31, size: 6, fill: s.color },
        })),
      ],
      hooks: { setCursor: [(u) => setPointed(u.cursor.idx ?? null)] },
    };
    const data: uPlot.AlignedData = [days.map((_, i) => i), ...series.map((s) => s.values.map((v) => v))];
    const plot = new uPlot(options, data, element);
    let lastWidth = element.clientWidth;
    const observer = new ResizeObserver(() => {
      const width = element.clientWidth;
      if (width === lastWidth || width === 0) return;
      lastWidth = width;
      plot.setSize({ width: Math.max(width, 200), height: chartHeight(width) });
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      plot.destroy();
    };
  }, [days, series, durations]);

  const valueText = (v: number | null | undefined) => (durations ? seconds(v) : v === null || v === undefined ? '—' : count(v));
  const day = pointed === null ? undefined : days[pointed];
  return (
    <section class="card chart-card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{title}</h2>
      <p class="muted chart-description">{description}</p>
      <ul class="chart-legend" aria-label={day ? `Valores del ${longDay(day)}` : 'Leyenda y totales del periodo'}>
        {series.map((s) => (
          <li key={s.label}>
            <span class={`legend-line${s.dashed ? ' dashed' : ''}`} style={{ color: s.color }} aria-hidden="true" />
            <span>{s.label}</span>
            <strong>{day === undefined || pointed === null ? s.total : valueText(s.values[pointed])}</strong>
          </li>
        ))}
        <li class="legend-when muted" aria-hidden="true">
          {day ? longDay(day) : 'Todo el periodo'}
        </li>
      </ul>
      <div class="chart" ref={box} role="img" aria-label={`Gráfico de líneas: ${title}. Los mismos datos están en la tabla siguiente.`} />
      <details class="chart-data">
        <summary>Ver los datos en una tabla</summary>
        <div class="table-scroll" tabIndex={0} role="region" aria-label={`Datos: ${title}`}>
          <table>
            <caption class="sr-only">{title}, por día</caption>
            <thead>
              <tr>
                <th scope="col">Día</th>
                {series.map((s) => (
                  <th scope="col" class="number" key={s.label}>
                    {s.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {days.map((d, i) => (
                <tr key={d}>
                  <th scope="row">
                    <time dateTime={d}>{longDay(d)}</time>
                  </th>
                  {series.map((s) => (
                    <td key={s.label} class="number">
                      {valueText(s.values[i])}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">Todo el periodo</th>
                {series.map((s) => (
                  <td key={s.label} class="number">
                    {s.total}
                  </td>
                ))}
              </tr>
            </tfoot>
          </table>
        </div>
      </details>
    </section>
  );
}

function Figure({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <div class="stat-figure">
      <dt>{label}</dt>
      <dd>
        <span class="stat-value">{value}</span>
        {hint ? <span class="stat-hint">{hint}</span> : null}
      </dd>
    </div>
  );
}

function FailuresByCode({ failures, total }: { failures: EstadisticasRespuesta['fallos_por_codigo']; total: number }) {
  const largest = Math.max(1, ...failures.map((f) => f.total));
  return (
    <section class="card chart-card" aria-labelledby="fallos-codigo-title">
      <h2 id="fallos-codigo-title">Fallos de entrega por código de error de Meta</h2>
      <p class="muted chart-description">
        Los mensajes que Meta informó como no entregados en el periodo, agrupados por el código de error que dio (el más frecuente primero).
      </p>
      {failures.length === 0 ? (
        <p class="chart-empty">Ningún mensaje falló en este periodo.</p>
      ) : (
        <div class="table-scroll" tabIndex={0} role="region" aria-label="Fallos por código de error">
          <table class="failures">
            <caption class="sr-only">Fallos de entrega por código de error de Meta</caption>
            <thead>
              <tr>
                <th scope="col">Código</th>
                <th scope="col">Descripción de Meta</th>
                <th scope="col" class="number">
                  Fallos
                </th>
                <th scope="col">
                  <span class="sr-only">Proporción</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {failures.map((f) => (
                <tr key={String(f.codigo)}>
                  <th scope="row">{f.codigo ?? 'Sin código'}</th>
                  <td>{f.titulo ?? <span class="muted">Meta no dio detalle</span>}</td>
                  <td class="number">{count(f.total)}</td>
                  <td class="bar-cell" aria-hidden="true">
                    <span class="bar" style={{ width: `${Math.max(2, (f.total / largest) * 100)}%` }} />
                  </td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row" colSpan={2}>
                  Total
                </th>
                <td class="number">{count(total)}</td>
                <td />
              </tr>
            </tfoot>
          </table>
        </div>
      )}
    </section>
  );
}

function Frame({ children, busy }: { children: ComponentChildren; busy?: boolean }) {
  return (
    <main class="page statistics" aria-busy={busy ? 'true' : undefined}>
      {children}
    </main>
  );
}

/** /estadisticas: the inbox's numbers over the last 7, 30 or 90 days (GET /api/v1/estadisticas, docs/inbox.md). */
export function StatisticsPage() {
  const location = useLocation();
  const asked = location.query['dias'];
  const range: Range = RANGES.includes(asked as Range) ? (asked as Range) : '30';
  const [data, setData] = useState<EstadisticasRespuesta | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    document.title = 'Estadísticas · Charla';
  }, []);

  useEffect(() => {
    let current = true;
    setLoading(true);
    setError(null);
    api<EstadisticasRespuesta>('GET', `/api/v1/estadisticas?dias=${range}`)
      .then((answer) => {
        if (current) setData(answer);
      })
      .catch((caught: unknown) => {
        if (!current) return;
        if (caught instanceof ApiError && caught.status === 404)
          setError('Las estadísticas aún no están disponibles en este servidor. Actualiza Charla e inténtalo de nuevo.');
        else if (caught instanceof ApiError && caught.status === 0) setError(caught.message);
        else
          setError(`No se pudieron cargar las estadísticas (${caught instanceof ApiError ? caught.code : 'error'}). Inténtalo de nuevo.`);
      })
      .finally(() => {
        if (current) setLoading(false);
      });
    return () => {
      current = false;
    };
  }, [range, attempt]);

  const choose = (next: Range) => {
    if (next !== range) location.route(`/estadisticas?dias=${next}`, true);
  };

  const charts = data ? chartsOf(data) : null;
  const t = data?.totales;
  const empty = t ? t.mensajes_entrantes + t.mensajes_salientes + t.traspasos + t.devoluciones + t.fallos_entrega === 0 : false;

  return (
    <Frame busy={loading}>
      <div class="statistics-head">
        <div>
          <h1>Estadísticas</h1>
          {data ? (
            <p class="muted statistics-period">
              Del {fullDayFormat.format(dayDate(data.desde))} al {fullDayFormat.format(dayDate(data.hasta))} (hoy incluido), en la zona
              horaria {data.zona_horaria}.
            </p>
          ) : null}
        </div>
        <div class="range" role="group" aria-label="Periodo">
          {RANGES.map((r) => (
            <button type="button" class="chip" aria-pressed={r === range ? 'true' : 'false'} key={r} onClick={() => choose(r)}>
              {r} días
            </button>
          ))}
          <button type="button" class="link-button" onClick={() => setAttempt((n) => n + 1)} disabled={loading}>
            Actualizar
          </button>
        </div>
      </div>

      {error ? (
        <div class="error" role="alert">
          <p>{error}</p>
          <button type="button" onClick={() => setAttempt((n) => n + 1)}>
            Reintentar
          </button>
        </div>
      ) : null}
      {loading && !data ? (
        <p class="muted" role="status">
          Cargando estadísticas…
        </p>
      ) : null}
      <p class="sr-only" role="status">
        {loading ? 'Cargando estadísticas…' : data ? `Estadísticas de los últimos ${data.dias.length} días cargadas.` : ''}
      </p>

      {data && t && charts ? (
        <>
          <h2 class="sr-only">Totales del periodo</h2>
          <dl class="stat-figures">
            <Figure label="Mensajes recibidos" value={count(t.mensajes_entrantes)} />
            <Figure label="Mensajes enviados" value={count(t.mensajes_salientes)} />
            <Figure label="Respuestas del bot" value={count(t.respuestas_bot)} />
            <Figure label="Mensajes de agentes" value={count(t.respuestas_agentes)} />
            <Figure label="Traspasos a agentes" value={count(t.traspasos)} hint={`${count(t.devoluciones)} devueltas al bot`} />
            <Figure
              label="Primera respuesta (mediana)"
              value={seconds(t.primera_respuesta_mediana_segundos)}
              hint={t.primeras_respuestas === 1 ? '1 traspaso respondido' : `${count(t.primeras_respuestas)} traspasos respondidos`}
            />
            <Figure label="Remitentes sin identificar" value={count(t.remitentes_sin_identificar)} hint="números distintos" />
            <Figure label="Fallos de entrega" value={count(t.fallos_entrega)} />
          </dl>
          {empty ? (
            <p class="notice" role="note">
              No hubo mensajes ni traspasos en este periodo: los gráficos están en cero.
            </p>
          ) : null}
          <div class="chart-grid">
            {charts.map((chart) => (
              <DailyChart key={`${chart.id}-${data.desde}-${data.dias.length}`} {...chart} />
            ))}
            <FailuresByCode failures={data.fallos_por_codigo} total={t.fallos_entrega} />
          </div>
        </>
      ) : null}
    </Frame>
  );
}

/** The per-day charts of an answer (kept stable per answer so a re-render does not redraw them). */
const chartsCache = new WeakMap<EstadisticasRespuesta, ChartProps[]>();
function chartsOf(data: EstadisticasRespuesta): ChartProps[] {
  const cached = chartsCache.get(data);
  if (cached) return cached;
  const { dias: days, series: s, totales: t } = data;
  const charts: ChartProps[] = [
    {
      id: 'mensajes',
      title: 'Mensajes por día',
      description:
        'Mensajes recibidos de los clientes y enviados por Charla (bot, agentes y tokens de API), por el día en que se escribieron.',
      days,
      series: [
        { label: 'Recibidos', values: s.mensajes_entrantes, color: COLOURS.green, total: count(t.mensajes_entrantes) },
        { label: 'Enviados', values: s.mensajes_salientes, color: COLOURS.blue, dashed: true, total: count(t.mensajes_salientes) },
      ],
    },
    {
      id: 'respuestas',
      title: 'Respuestas del bot y de los agentes',
      description:
        'Respuestas del bot a un mensaje recibido, y mensajes enviados por un agente. Lo enviado con un token de API no cuenta en ninguna de las dos.',
      days,
      series: [
        { label: 'Bot', values: s.respuestas_bot, color: COLOURS.purple, total: count(t.respuestas_bot) },
        { label: 'Agentes', values: s.respuestas_agentes, color: COLOURS.green, dashed: true, total: count(t.respuestas_agentes) },
      ],
    },
    {
      id: 'traspasos',
      title: 'Traspasos a agentes por día',
      description: 'Conversaciones que el bot pasó a un agente o que un agente tomó, y las devueltas al bot.',
      days,
      series: [
        { label: 'Traspasos', values: s.traspasos, color: COLOURS.orange, total: count(t.traspasos) },
        { label: 'Devueltas al bot', values: s.devoluciones, color: COLOURS.grey, dashed: true, total: count(t.devoluciones) },
      ],
    },
    {
      id: 'primera-respuesta',
      title: 'Primera respuesta de los agentes (mediana)',
      description:
        'Mediana del tiempo hasta el primer mensaje de un agente tras un traspaso, entre los traspasos del día que recibieron respuesta. Sin punto: ningún traspaso respondido ese día.',
      days,
      durations: true,
      series: [
        {
          label: 'Mediana',
          values: s.primera_respuesta_mediana_segundos,
          color: COLOURS.blue,
          total: seconds(t.primera_respuesta_mediana_segundos),
        },
      ],
    },
    {
      id: 'sin-identificar',
      title: 'Remitentes sin identificar por día',
      description:
        'Números distintos que escribieron ese día sin estar identificados como clientes. El total cuenta cada número una vez en todo el periodo.',
      days,
      series: [
        { label: 'Números', values: s.remitentes_sin_identificar, color: COLOURS.purple, total: count(t.remitentes_sin_identificar) },
      ],
    },
    {
      id: 'fallos',
      title: 'Fallos de entrega por día',
      description: 'Mensajes enviados que Meta informó como no entregados (estado failed), por el día en que lo informó.',
      days,
      series: [{ label: 'Fallos', values: s.fallos_entrega, color: COLOURS.red, total: count(t.fallos_entrega) }],
    },
  ];
  chartsCache.set(data, charts);
  return charts;
}
