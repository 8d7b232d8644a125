/**
 * Who may do what in {@code berth registry}: htpasswd (bcrypt) Basic authentication, a Bearer token service of its
 * own ({@code /token}, Docker's token flow), anonymous pull when configured, and per-user, per-repository access rules.
 * The server asks {@link io.berth.registry.auth.RegistryAccess} about every request; {@link
 * io.berth.registry.auth.RegistryAuth#from} builds it from the serve command's options.
 *
 * <h2>Modes</h2>
 * <ul>
 *   <li>No option: open, everyone may do everything.</li>
 *   <li>{@code --htpasswd FILE} (and/or {@code --access}, {@code --anonymous-pull}): Basic. Every request's password is
 *       checked (bcrypt, {@code $2y$}/{@code $2a$}/{@code $2b$} only; other hashes fail at startup); no or wrong
 *       credentials → 401 {@code WWW-Authenticate: Basic realm="berth registry"}, {@code UNAUTHORIZED}; an
 *       authenticated user without the right → 403 {@code DENIED}. The file is read again when it changes (a
 *       broken one keeps the users as they were); {@link io.berth.registry.auth.RegistryAuth#close} stops watching.</li>
 *   <li>{@code --token-realm URL [--token-service NAME]}: tokens. The token service answers at the realm's path
 *       ({@code GET ?service&scope…[&offline_token=true]} with Basic or no credentials; OAuth2 {@code POST} with
 *       {@code grant_type=password|refresh_token}) with a JWT signed by the registry's key: ES256, generated on first
 *       start as {@code <root>/auth/token-key.pem} (mode 0600), or {@code --token-key FILE} (PKCS#8 PEM, RSA → RS256,
 *       P-256 with its public key → ES256). The registry takes only its own tokens: signature, {@code exp}/{@code nbf},
 *       {@code aud} = the service, {@code iss} = the service, {@code token_use} = access. Without one: 401 {@code
 *       Bearer realm="…",service="…",scope="repository:<name>:<actions>"} (with {@code error="invalid_token"} for a
 *       bad one); a token lacking a scope its subject may have: 401 {@code error="insufficient_scope"}; a scope the
 *       subject may not have: 403 {@code DENIED} (anonymous: 401, to log in). Access tokens live 5 minutes; refresh
 *       tokens (Docker's identity token) 30 days, and carry a fingerprint of the user's password hash, so a changed
 *       password or a removed user revokes them.</li>
 * </ul>
 * Requested scopes are intersected with the rules: a smaller grant is no error; scopes on names outside the
 * distribution grammar (path traversal, capitals) get nothing.
 *
 * <h2>The access rules file ({@code --access FILE})</h2>
 * JSON; unknown keys are an error at startup.
 * <pre>{@code
 * {
 *   "anonymousPull": false,            // anonymous clients may pull every repository (also --anonymous-pull)
 *   "admins": ["root"],                // may do everything everywhere, and list the catalog
 *   "catalog": ["*"],                  // who may GET /v2/_catalog: user names, "*" = every authenticated user (default)
 *   "rules": [                         // the first rule whose pattern matches the repository decides
 *     {"repository": "team/*",         // * = within one path component, ** = across components
 *      "users": {"alice": ["pull", "push", "delete"], "*": ["pull"]},   // "*" = any authenticated user; adds up
 *      "anonymous": ["pull"]},         // what clients without credentials may do
 *     {"repository": "alice/**", "users": {"alice": ["*"]}}              // "*" action = pull, push, delete
 *   ]
 * }
 * }</pre>
 * A repository no rule matches is reachable by admins only (and pulled anonymously with {@code anonymousPull}).
 * Without a rules file, every authenticated user may do everything and anonymous clients nothing (pull with
 * {@code --anonymous-pull}). A push needs {@code pull,push}; a cross-repository mount also {@code pull} on the source.
 */
package io.berth.registry.auth;
