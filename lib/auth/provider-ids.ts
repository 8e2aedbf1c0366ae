// The id of the single sign-on (OpenID Connect) provider: its callback path and its rows in Identity.
export const oidcProviderId = "oidc";
