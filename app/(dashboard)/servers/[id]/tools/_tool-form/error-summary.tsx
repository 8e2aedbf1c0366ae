// The form's refusal at the top (focused when it appears), with the errors no control shows.
import type { RefObject } from "react";
import { Notice } from "@/components/kit/notice";

export function ErrorSummary({
  message,
  looseErrors,
  alertRef,
}: {
  message: string;
  looseErrors: [string, string][];
  alertRef: RefObject<HTMLDivElement | null>;
}) {
  return (
    <div ref={alertRef} tabIndex={-1} className="outline-none">
      <Notice tone="danger">
        {message}
        {looseErrors.length > 0 && (
          <ul className="mt-1 list-inside list-disc">
            {looseErrors.map(([key, text]) => (
              <li key={key}>{text}</li>
            ))}
          </ul>
        )}
      </Notice>
    </div>
  );
}
