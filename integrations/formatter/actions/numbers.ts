import { z } from "zod";
import { defineAction, pureComputation } from "@/integrations/sdk/define";

export const formatNumber = defineAction({
  key: "format_number",
  title: "Format a number",
  description: "Format a number as a decimal, a currency amount or a percentage for a locale.",
  input: z.object({
    number: z.number().describe("The number to format."),
    style: z
      .enum(["decimal", "currency", "percent"])
      .default("decimal")
      .describe("How to present the number."),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, "a three-letter ISO 4217 code such as USD")
      .default("USD")
      .describe("ISO 4217 currency code, used when style is currency."),
    locale: z.string().min(2).max(35).default("en-US").describe("BCP 47 locale, such as en-US or de-DE."),
    decimals: z
      .number()
      .int()
      .min(0)
      .max(20)
      .optional()
      .describe("Exact number of digits after the decimal point."),
  }),
  output: z.object({ result: z.string() }),
  annotations: pureComputation,
  run: async ({ input }) => {
    let formatter: Intl.NumberFormat;
    try {
      formatter = new Intl.NumberFormat(input.locale, {
        style: input.style,
        currency: input.style === "currency" ? input.currency : undefined,
        minimumFractionDigits: input.decimals,
        maximumFractionDigits: input.decimals,
      });
    } catch (error) {
      throw new Error(`Cannot format with locale "${input.locale}": ${(error as Error).message}`);
    }
    return { result: formatter.format(input.number) };
  },
});

export const calculate = defineAction({
  key: "calculate",
  title: "Calculate",
  description:
    "Add, subtract, multiply or divide a list of numbers from left to right, or find their minimum, maximum or average.",
  input: z.object({
    operation: z
      .enum(["add", "subtract", "multiply", "divide", "min", "max", "average"])
      .describe("The operation."),
    numbers: z.array(z.number()).min(1).max(1_000).describe("The numbers, in order."),
  }),
  output: z.object({ result: z.number() }),
  annotations: pureComputation,
  run: async ({ input: { operation, numbers } }) => {
    const [first, ...rest] = numbers as [number, ...number[]];
    if (operation === "divide" && rest.includes(0)) throw new Error("Cannot divide by zero.");
    const result = {
      add: () => numbers.reduce((sum, value) => sum + value, 0),
      subtract: () => rest.reduce((total, value) => total - value, first),
      multiply: () => numbers.reduce((product, value) => product * value, 1),
      divide: () => rest.reduce((total, value) => total / value, first),
      min: () => Math.min(...numbers),
      max: () => Math.max(...numbers),
      average: () => numbers.reduce((sum, value) => sum + value, 0) / numbers.length,
    }[operation]();
    return { result };
  },
});
