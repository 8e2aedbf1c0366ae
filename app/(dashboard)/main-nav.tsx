"use client";
// The site's navigation: the sections and the account's pages in one row on a wide screen, behind
// a "Menu" button on a phone. Marks the current page for the eye and for screen readers.
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useId, useState } from "react";
import { SignOutButton } from "./sign-out-button";

const sections = [
  { href: "/apps", label: "Apps" },
  { href: "/connections", label: "Connections" },
  { href: "/servers", label: "Servers" },
  { href: "/history", label: "History" },
];

type NavLink = { href: string; label: string };

function accountLinks(isAdmin: boolean): NavLink[] {
  return [
    { href: "/settings/account", label: "Settings" },
    ...(isAdmin ? [{ href: "/admin", label: "Admin" }] : []),
  ];
}

const linkClasses =
  "block rounded-md px-3 py-2 text-sm font-medium text-zinc-700 hover:bg-zinc-100 aria-[current=page]:bg-brand-600/10 aria-[current=page]:text-brand-700 dark:text-zinc-300 dark:hover:bg-zinc-800 dark:aria-[current=page]:text-brand-300";

function isCurrent(pathname: string, href: string): boolean {
  const section = href === "/settings/account" ? "/settings" : href;
  return pathname === section || pathname.startsWith(`${section}/`);
}

function NavLinks({ links, className }: { links: NavLink[]; className: string }) {
  const pathname = usePathname();
  return (
    <ul className={className}>
      {links.map((link) => (
        <li key={link.href}>
          <Link
            href={link.href}
            aria-current={isCurrent(pathname, link.href) ? "page" : undefined}
            className={linkClasses}
          >
            {link.label}
          </Link>
        </li>
      ))}
    </ul>
  );
}

export function MainNav({ isAdmin, email }: { isAdmin: boolean; email: string }) {
  return (
    <>
      <NavLinks links={sections} className="hidden items-center gap-1 md:flex" />
      <div className="ml-auto hidden items-center gap-3 md:flex">
        <NavLinks links={accountLinks(isAdmin)} className="flex items-center gap-1" />
        <span className="text-sm text-zinc-600 dark:text-zinc-400" data-testid="signed-in-as">
          {email}
        </span>
        <SignOutButton />
      </div>
      <PhoneMenu isAdmin={isAdmin} email={email} />
    </>
  );
}

function PhoneMenu({ isAdmin, email }: { isAdmin: boolean; email: string }) {
  const pathname = usePathname();
  // Open on the page it was opened on: a link followed from the menu lands with the menu closed.
  const [openOn, setOpenOn] = useState<string>();
  const open = openOn === pathname;
  const panelId = useId();
  return (
    <div className="ml-auto md:hidden">
      <button
        type="button"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpenOn(open ? undefined : pathname)}
        className="rounded-md border border-zinc-300 px-3 py-2 text-sm font-medium text-zinc-800 hover:bg-zinc-100 dark:border-zinc-700 dark:text-zinc-100 dark:hover:bg-zinc-800"
      >
        {open ? "Close menu" : "Menu"}
      </button>
      <div
        id={panelId}
        hidden={!open}
        className="absolute inset-x-0 top-full z-40 border-b border-zinc-200 bg-white px-4 py-3 shadow-md dark:border-zinc-800 dark:bg-zinc-900"
      >
        <NavLinks links={[...sections, ...accountLinks(isAdmin)]} className="space-y-1" />
        <div className="mt-3 flex items-center justify-between gap-3 border-t border-zinc-200 pt-3 dark:border-zinc-800">
          <span className="truncate text-sm text-zinc-600 dark:text-zinc-400">{email}</span>
          <SignOutButton />
        </div>
      </div>
    </div>
  );
}
