// An app's logo, decorative next to its name. A plain img: a missing file shows nothing (empty
// alt), so the page never depends on the logo being there.
export function AppLogo({ slug, size = 32 }: { slug: string; size?: number }) {
  return (
    // biome-ignore lint/performance/noImgElement: small static SVGs; next/image adds nothing here.
    <img
      src={`/logos/${slug}.svg`}
      alt=""
      width={size}
      height={size}
      className="shrink-0 rounded"
      style={{ width: size, height: size }}
    />
  );
}
