/**
 * The call analytics as small SVG plots: talk ratio (one stacked bar), longest monologue,
 * interruptions and words per minute (bars per speaker). Each plot carries a text alternative.
 */
import type { CallAnalytics } from '../lib/api.ts';
import { clock } from '../lib/format.ts';
import { LANE_COLORS } from './talk-track.tsx';

const W = 280;
const ROW = 26;

function Bars({
  title,
  values,
  max,
  format,
  names,
  band,
}: {
  title: string;
  values: number[];
  max: number;
  format: (v: number) => string;
  names: string[];
  band?: [number, number];
}) {
  const height = values.length * ROW + 8;
  const label = `${title}: ${values.map((v, i) => `${names[i]} ${format(v)}`).join(', ')}`;
  const x = (v: number) => 90 + (Math.max(0, v) / Math.max(max, 1e-9)) * (W - 150);
  return (
    <figure class="plot">
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${W} ${height}`} role="img" aria-label={label}>
        {band && <rect x={x(band[0])} y={0} width={x(band[1]) - x(band[0])} height={height} class="band" />}
        {values.map((v, i) => (
          <g key={names[i]} transform={`translate(0 ${i * ROW + 4})`}>
            <text x={0} y={15} class="plot-name">
              {names[i]!.length > 12 ? `${names[i]!.slice(0, 11)}…` : names[i]}
            </text>
            <rect
              x={90}
              y={3}
              width={Math.max(1, x(v) - 90)}
              height={16}
              rx={3}
              fill={LANE_COLORS[i % LANE_COLORS.length]}
            />
            <text x={x(v) + 6} y={15} class="plot-value">
              {format(v)}
            </text>
          </g>
        ))}
      </svg>
    </figure>
  );
}

export function AnalyticsPlots({ analytics }: { analytics: CallAnalytics }) {
  const speakers = analytics.speakers;
  if (speakers.length === 0) return null;
  const names = speakers.map((s) => s.speaker.name);
  let offset = 0;
  const ratioLabel = speakers.map((s) => `${s.speaker.name} ${Math.round(s.talkRatio * 100)}%`).join(', ');
  return (
    <section class="analytics" aria-labelledby="analytics-heading">
      <h2 id="analytics-heading">Call analytics</h2>
      <figure class="plot">
        <figcaption>Talk ratio</figcaption>
        <svg viewBox={`0 0 ${W} 44`} role="img" aria-label={`Talk ratio: ${ratioLabel}`}>
          {speakers.map((s, i) => {
            const width = s.talkRatio * W;
            const x = offset;
            offset += width;
            return (
              <g key={s.speaker.id}>
                <rect
                  x={x}
                  y={0}
                  width={Math.max(0, width - 1)}
                  height={20}
                  fill={LANE_COLORS[i % LANE_COLORS.length]}
                />
                {width > 40 && (
                  <text x={x + 6} y={15} class="plot-inside">
                    {Math.round(s.talkRatio * 100)}%
                  </text>
                )}
              </g>
            );
          })}
          <text x={0} y={38} class="plot-name">
            {ratioLabel}
          </text>
        </svg>
      </figure>
      <Bars
        title="Longest monologue"
        names={names}
        values={speakers.map((s) => s.longestMonologueMillis)}
        max={Math.max(...speakers.map((s) => s.longestMonologueMillis))}
        format={clock}
      />
      <Bars
        title="Interruptions"
        names={names}
        values={speakers.map((s) => s.interruptions)}
        max={Math.max(1, ...speakers.map((s) => s.interruptions))}
        format={(v) => String(v)}
      />
      <Bars
        title="Words per minute (shaded: a usual 110–160)"
        names={names}
        values={speakers.map((s) => s.wordsPerMinute)}
        max={Math.max(200, ...speakers.map((s) => s.wordsPerMinute))}
        format={(v) => String(Math.round(v))}
        band={[110, 160]}
      />
    </section>
  );
}
