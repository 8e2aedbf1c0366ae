// A day as the pages show it ("Nov 24, 2026"), in UTC like every time on the platform (no server
// imports: client components use it too).
const dateFormat = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeZone: "UTC" });

export const formatDate = (date: Date) => dateFormat.format(date);
