/** A quantity given either once for the whole horizon or once per step, as the planning problem allows. */
export type ConstantOrSeries = number | readonly number[];

export function valueAtStep(value: ConstantOrSeries, step: number): number {
  if (typeof value === 'number') return value;
  const v = value[step];
  if (v === undefined) throw new RangeError(`step ${step} is beyond a series of ${value.length} steps`);
  return v;
}
