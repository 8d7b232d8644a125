/** The system endpoints ({@code /version}, {@code /info}, {@code /system/df}) over the local stores, and the host facts they report. */
package io.berth.engine.system;
