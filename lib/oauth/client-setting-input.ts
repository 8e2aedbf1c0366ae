// What an administrator types to set up an OAuth app's client: an id and a secret as the vendor's
// console shows them, checked with errors that name the field (no server imports: the form
// shows the limits too).
import { z } from "zod";
import { storableString } from "@/lib/db/storable-text";

export const maxClientIdLength = 300;
export const maxClientSecretLength = 500;

/** Printable, without spaces or line breaks: what a vendor's console shows, pasted as it is. */
const credentialText = /^[\x21-\x7e]*$/;

function credentialSchema(name: string, maxLength: number) {
  return storableString({ error: `Enter the ${name}.` })
    .trim()
    .max(maxLength, `The ${name} is too long: at most ${maxLength} characters.`)
    .regex(
      credentialText,
      `The ${name} has a space, a line break or a character no ${name} has; paste it again from the app's console.`,
    );
}

export const clientSettingSchema = z.object({
  clientId: credentialSchema("client ID", maxClientIdLength).min(1, "Enter the client ID."),
  /** Empty keeps the secret already stored (only when there is one). */
  clientSecret: credentialSchema("client secret", maxClientSecretLength),
});
export type ClientSettingInput = z.input<typeof clientSettingSchema>;
