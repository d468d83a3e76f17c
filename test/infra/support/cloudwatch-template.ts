/**
 * Reading CloudWatch dashboards and alarms out of a synthesised template, to assert what they show and watch.
 * A DashboardBody is a Fn::Join of JSON text and CloudFormation tokens (the region, alarm ARNs, function and
 * queue names); each token is replaced by a plain-text stand-in (`Ref:<id>`, `GetAtt:<id>.<attribute>`) so the
 * body parses as the JSON CloudWatch receives.
 */

/** One metric as a widget line or an alarm names it. */
export interface MetricRef {
  namespace: string;
  metricName: string;
  /** Dimension values; tokens as their stand-ins. */
  dimensions: Record<string, string>;
}

export interface DashboardContent {
  /** Every widget's title, in order. */
  titles: string[];
  metrics: MetricRef[];
  /** Math and SEARCH expressions. */
  expressions: string[];
  /** Alarm ARNs of the alarm widgets, as `GetAtt:<alarm id>.Arn`. */
  alarms: string[];
  /** The markdown of text widgets. */
  texts: string[];
}

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** A CloudFormation token as text that is safe inside a JSON string. */
export function tokenText(token: unknown): string {
  const t = token as { Ref?: string; 'Fn::GetAtt'?: [string, string] };
  if (typeof t.Ref === 'string') return `Ref:${t.Ref}`;
  if (Array.isArray(t['Fn::GetAtt'])) return `GetAtt:${t['Fn::GetAtt'].join('.')}`;
  return 'TOKEN';
}

const dimensionsOf = (pairs: readonly Json[]): Record<string, string> => {
  const dimensions: Record<string, string> = {};
  for (let i = 0; i + 1 < pairs.length; i += 2) dimensions[String(pairs[i])] = String(pairs[i + 1]);
  return dimensions;
};

export function parseDashboardBody(body: unknown): DashboardContent {
  const join = (body as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  const text = join ? join[1].map((part) => (typeof part === 'string' ? part : tokenText(part))).join(join[0]) : String(body);
  const parsed = JSON.parse(text) as { widgets: { type: string; properties: Record<string, Json> }[] };
  const content: DashboardContent = { titles: [], metrics: [], expressions: [], alarms: [], texts: [] };
  for (const { properties } of parsed.widgets) {
    if (typeof properties.title === 'string') content.titles.push(properties.title);
    if (typeof properties.markdown === 'string') content.texts.push(properties.markdown);
    if (Array.isArray(properties.alarms)) content.alarms.push(...properties.alarms.map(String));
    for (const line of (properties.metrics ?? []) as Json[][]) {
      const [first] = line;
      if (first !== null && typeof first === 'object' && !Array.isArray(first)) {
        if (typeof first.expression === 'string') content.expressions.push(first.expression);
        continue;
      }
      const names = line.filter((part) => typeof part === 'string') as string[];
      const [namespace, metricName, ...pairs] = names;
      content.metrics.push({ namespace: namespace!, metricName: metricName!, dimensions: dimensionsOf(pairs) });
    }
  }
  return content;
}

interface AlarmDimension {
  Name: string;
  Value: unknown;
}
interface MetricStat {
  Metric: { Namespace: string; MetricName: string; Dimensions?: AlarmDimension[] };
}

/** The metrics an alarm watches, whether it names one metric or a math expression over several. */
export function alarmMetrics(properties: Record<string, unknown>): { metrics: MetricRef[]; expressions: string[] } {
  const dimensions = (list: AlarmDimension[] | undefined) =>
    Object.fromEntries((list ?? []).map((d) => [d.Name, typeof d.Value === 'string' ? d.Value : tokenText(d.Value)]));
  if (typeof properties.MetricName === 'string') {
    return {
      metrics: [{ namespace: String(properties.Namespace), metricName: properties.MetricName, dimensions: dimensions(properties.Dimensions as AlarmDimension[]) }],
      expressions: [],
    };
  }
  const queries = (properties.Metrics ?? []) as { Expression?: string; MetricStat?: MetricStat }[];
  return {
    metrics: queries.flatMap((q) =>
      q.MetricStat ? [{ namespace: q.MetricStat.Metric.Namespace, metricName: q.MetricStat.Metric.MetricName, dimensions: dimensions(q.MetricStat.Metric.Dimensions) }] : [],
    ),
    expressions: queries.flatMap((q) => (q.Expression ? [q.Expression] : [])),
  };
}
