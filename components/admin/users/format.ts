// Numbers and dates on the admin users pages (no server imports: client components use it too).
const numberFormat = new Intl.NumberFormat("en");
export const formatCount = (value: number) => numberFormat.format(value);

/** "52%": a share of 0.523 (1 and over read "100%", so an over-used limit still reads as used up). */
export function formatShare(share: number): string {
  return `${Math.min(100, Math.round(share * 100))}%`;
}
