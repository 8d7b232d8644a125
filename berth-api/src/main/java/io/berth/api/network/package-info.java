/** Wire types of the {@code /networks} endpoints. */
package io.berth.api.network;
