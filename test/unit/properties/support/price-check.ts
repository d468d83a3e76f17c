import fc from 'fast-check';
import { XmlSyntaxError } from '../../../../functions/adapters/xml/strict-xml.ts';
import { explainIssues } from '../../../../schemas/explain.ts';
import { PriceCurve } from '../../../../schemas/price-curve.ts';
import { refusalProblem } from './mutations.ts';

/** What every parsed curve promises (price-source.ts): the schema, sorted, one resolution, no hole, no repeat. */
export function curveProblem(curves: unknown, allowNone = false): string | undefined {
  if (!Array.isArray(curves) || (curves.length === 0 && !allowNone)) return 'answered no curve and no error';
  for (const curve of curves) {
    const checked = PriceCurve.safeParse(curve);
    if (!checked.success) return `answered an invalid curve: ${explainIssues(checked.error)}`;
    const stepMs = checked.data.resolutionMinutes * 60_000;
    const starts = checked.data.points.map((p) => Date.parse(p.start));
    for (let i = 1; i < starts.length; i++) {
      if (starts[i]! - starts[i - 1]! !== stepMs) return `answered a curve with a hole or repeat at ${checked.data.points[i]!.start}`;
    }
  }
  return undefined;
}

/** Runs a parse: a valid answer or a documented, named, readable refusal; anything else is the problem returned. */
export function parseProblem(parse: () => unknown, names: RegExp, check: (answer: unknown) => string | undefined = curveProblem): string | undefined {
  let answer: unknown;
  try {
    answer = parse();
  } catch (e) {
    return refusalProblem(e, names, [XmlSyntaxError]);
  }
  return check(answer);
}

/** `parse(document, options)` options: absent, or a zone / resolution that may or may not be in the document. */
export const parseOptions = fc.option(
  fc.record(
    {
      zone: fc.constantFrom('BE', 'DK1', 'DK2', 'SE3', 'NL', 'AT', 'GB-C', 'ERCOT', 'CAISO', 'XX', '10YBE----------2'),
      resolution: fc.constantFrom(15 as const, 30 as const, 60 as const),
    },
    { requiredKeys: [] },
  ),
  { nil: undefined },
);

/** Fails the property with the problem and the input that caused it (fast-check then shrinks it). */
export function assertNoProblem(problem: string | undefined, input: string): void {
  if (problem !== undefined) throw new Error(`${problem}\n--- input (${input.length} chars) ---\n${input.slice(0, 1500)}`);
}
