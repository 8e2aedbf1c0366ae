// Formatter: text, number, date and JSON utilities that run on the platform itself, with no
// account to connect (Zapier's "Formatter" counterpart).
import { defineIntegration, noAuth } from "@/integrations/sdk/define";
import { addToDate, formatDate } from "./actions/dates";
import { extractJson } from "./actions/json";
import { calculate, formatNumber } from "./actions/numbers";
import { countText, replaceText, splitText, transformText, truncateText } from "./actions/text";

export default defineIntegration({
  slug: "formatter",
  name: "Formatter",
  description: "Transform text, numbers, dates and JSON without connecting an account.",
  category: "Built-in tools",
  auth: noAuth,
  actions: [
    transformText,
    countText,
    replaceText,
    truncateText,
    splitText,
    formatNumber,
    calculate,
    formatDate,
    addToDate,
    extractJson,
  ],
});
