"use client";
// An app's logo from /logos/<slug>.svg, decorative (the app's name is always written next to
// it); an app without a logo file shows nothing rather than a broken image.
import { useEffect, useRef, useState } from "react";

export function AppLogo({ slug, size = 24 }: { slug: string; size?: number }) {
  const image = useRef<HTMLImageElement>(null);
  const [missing, setMissing] = useState(false);
  useEffect(() => {
    // The image may have failed before hydration, when no error handler was attached yet.
    const element = image.current;
    if (element?.complete && element.naturalWidth === 0) setMissing(true);
  }, []);
  if (missing) return null;
  return (
    // biome-ignore lint/performance/noImgElement: small static SVGs need no image optimization
    <img
      ref={image}
      src={`/logos/${slug}.svg`}
      alt=""
      width={size}
      height={size}
      onError={() => setMissing(true)}
      className="shrink-0 rounded"
    />
  );
}
