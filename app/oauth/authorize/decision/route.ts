// The consent form's answer: a code (or access_denied) for the app on its redirect URI, or back to
// the consent page naming what was wrong. proxy.ts refuses cross-origin posts here, and the form's
// consent token ties the decision to the page shown to this person.
import { answerConsent } from "@/lib/authorization-server/consent-route";

export const dynamic = "force-dynamic";

export { answerConsent as POST };
