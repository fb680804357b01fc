// A small SVG bar chart drawn here (no chart library, no CDN): campaign throughput per time bucket
// (sent and failed stacked) and a sender's sends per minute. Scales to its container's width.

import { formatTime } from '../format.ts';

export type BarPoint = { at: string; values: number[] };

/** `width` is the drawing's own coordinate width: close to the width it is shown at, so labels keep their size. */
export function BarChart({ points, series, height = 140, width = 600, label, withSeconds = false }: { points: BarPoint[]; series: Array<{ name: string; tone: string }>; height?: number; width?: number; label: string; withSeconds?: boolean }) {
  const padLeft = 34;
  const padBottom = 18;
  const max = Math.max(1, ...points.map((point) => point.values.reduce((sum, value) => sum + value, 0)));
  const plotHeight = height - padBottom - 6;
  const step = points.length > 0 ? (width - padLeft) / points.length : 0;
  const barWidth = Math.min(48, Math.max(1, step * 0.8));
  const ticks = [0, Math.round(max / 2), max];
  const labelEvery = Math.max(1, Math.ceil(points.length / 6));
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label} preserveAspectRatio="none">
        {ticks.map((tick) => {
          const y = 6 + plotHeight - (tick / max) * plotHeight;
          return (
            <g key={tick}>
              <line x1={padLeft} x2={width} y1={y} y2={y} className="chart-grid" />
              <text x={padLeft - 4} y={y + 4} className="chart-axis" textAnchor="end">
                {tick}
              </text>
            </g>
          );
        })}
        {points.map((point, index) => {
          let base = 6 + plotHeight;
          const x = padLeft + index * step + (step - barWidth) / 2;
          return (
            <g key={point.at}>
              {point.values.map((value, seriesIndex) => {
                const h = (value / max) * plotHeight;
                base -= h;
                return value > 0 ? <rect key={seriesIndex} x={x} y={base} width={barWidth} height={h} className={`chart-bar tone-${series[seriesIndex]?.tone ?? 'good'}`} /> : null;
              })}
              {index % labelEvery === 0 ? (
                // Labels near the right edge end at their bar, so none is cut off.
                <text x={x + barWidth / 2} y={height - 4} className="chart-axis" textAnchor={x + barWidth / 2 > width - 40 ? 'end' : 'middle'}>
                  {formatTime(point.at, withSeconds)}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      <figcaption className="chart-legend">
        {series.map((entry) => (
          <span key={entry.name}>
            <i className={`legend-swatch tone-${entry.tone}`} /> {entry.name}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
