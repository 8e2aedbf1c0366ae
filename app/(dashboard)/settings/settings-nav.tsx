"use client";
// The settings sections, marking the current one for the eye and for screen readers.
import Link from "next/link";
import { usePathname } from "next/navigation";

const sections = [
  { href: "/settings/account", label: "Account" },
  { href: "/settings/api-tokens", label: "API tokens" },
  { href: "/settings/connected-apps", label: "Connected apps" },
];

export function SettingsNav() {
  const pathname = usePathname();
  return (
    <nav aria-label="Settings" className="mx-auto mb-6 max-w-3xl">
      <ul className="flex gap-1 border-b border-zinc-200 text-sm dark:border-zinc-800">
        {sections.map((section) => (
          <li key={section.href}>
            <Link
              href={section.href}
              aria-current={pathname === section.href ? "page" : undefined}
              className="-mb-px inline-block border-b-2 border-transparent px-3 py-2 font-medium text-zinc-700 hover:text-zinc-900 aria-[current=page]:border-brand-600 aria-[current=page]:text-brand-700 dark:text-zinc-300 dark:hover:text-white dark:aria-[current=page]:text-brand-300"
            >
              {section.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
