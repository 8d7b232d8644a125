/** Registry values of the Engine API: credentials ({@code X-Registry-Auth}, {@code /auth}), distribution inspect, search. */
package io.berth.api.registry;
