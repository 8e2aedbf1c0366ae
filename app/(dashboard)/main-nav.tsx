"use client";
// The main navigation: marks the current section for the eye and for screen readers.
import Link from "next/link";
import { usePathname } from "next/navigation";

const sections = [
  { href: "/apps", label: "Apps" },
  { href: "/connections", label: "Connections" },
  { href: "/servers", label: "Servers" },
  { href: "/history", label: "History" },
];

export function MainNav() {
  const pathname = usePathname();
  return (
    <ul className="flex flex-wrap items-center gap-1 text-sm">
      {sections.map((section) => {
        const current = pathname === section.href || pathname.startsWith(`${section.href}/`);
        return (
          <li key={section.href}>
            <Link
              href={section.href}
              aria-current={current ? "page" : undefined}
              className="rounded-md px-3 py-2 font-medium text-zinc-700 hover:bg-zinc-100 aria-[current=page]:bg-brand-600/10 aria-[current=page]:text-brand-700 dark:text-zinc-300 dark:hover:bg-zinc-800 dark:aria-[current=page]:text-brand-300"
            >
              {section.label}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
