/**
 * Who may do what in {@code berth registry}: htpasswd (bcrypt) Basic authentication, a Bearer token service of its
 * own ({@code /token}, Docker's token flow), anonymous pull when configured, and per-user, per-repository access rules.
 * The server asks {@link io.berth.registry.auth.RegistryAccess} about every request.
 */
package io.berth.registry.auth;
