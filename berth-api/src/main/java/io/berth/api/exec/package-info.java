/** Wire types of the exec endpoints ({@code /containers/{id}/exec}, {@code /exec/{id}/…}). */
package io.berth.api.exec;
