/** The sealed family of errors the engine raises; the server maps them to HTTP statuses. */
package io.berth.api.errors;
