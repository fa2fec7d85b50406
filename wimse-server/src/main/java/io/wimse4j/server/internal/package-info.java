/**
 * The Identity Server's internals, shared by its packages and by the {@code wimse} program: the
 * state directory, the WIT signing key ring, registrations and join tokens, the TLS bootstrap. Not
 * API: these types change without notice. Embed the server through {@code io.wimse4j.server}
 * ({@code IdentityServer}, {@code ServerConfig}, {@code ConfigLoader}, {@code SigningKeyProvider}).
 */
package io.wimse4j.server.internal;
