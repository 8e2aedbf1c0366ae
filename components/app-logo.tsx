// An app's logo from public/logos/<slug>.svg; an app without one (a newly added integration)
// gets a neutral monogram so that no page shows a broken image.

// The apps with a file in public/logos/. Add the slug here when adding a logo.
const logoSlugs = new Set([
  "airtable",
  "asana",
  "delay",
  "discord",
  "formatter",
  "github",
  "gmail",
  "google_calendar",
  "google_drive",
  "google_sheets",
  "http",
  "hubspot",
  "jira",
  "linear",
  "notion",
  "sendgrid",
  "slack",
  "stripe",
  "telegram",
  "todoist",
  "trello",
  "twilio",
  "webhook",
]);

export function hasAppLogo(slug: string): boolean {
  return logoSlugs.has(slug);
}

/**
 * `decorative` (the default) hides the logo from screen readers, for when the app's name is
 * next to it; pass `decorative={false}` where the logo stands alone and it is named by `name`.
 */
export function AppLogo({
  slug,
  name,
  size = 40,
  decorative = true,
  className = "",
}: {
  slug: string;
  name: string;
  size?: number;
  decorative?: boolean;
  className?: string;
}) {
  const alt = decorative ? "" : name;
  if (!hasAppLogo(slug)) {
    const style = { width: size, height: size, fontSize: Math.round(size * 0.45) };
    const classes = `inline-flex shrink-0 items-center justify-center rounded-[23%] bg-zinc-600 font-bold text-white select-none ${className}`;
    const letter = name.trim().charAt(0).toUpperCase() || "?";
    return decorative ? (
      <span aria-hidden="true" style={style} className={classes}>
        {letter}
      </span>
    ) : (
      <span role="img" aria-label={name} style={style} className={classes}>
        {letter}
      </span>
    );
  }
  return (
    // biome-ignore lint/performance/noImgElement: tiny static SVGs need no image optimisation
    <img
      src={`/logos/${slug}.svg`}
      alt={alt}
      width={size}
      height={size}
      decoding="async"
      className={`shrink-0 rounded-[23%] ${className}`}
    />
  );
}
