/** Kernel calls through the FFM API, behind an interface. */
package io.berth.engine.sys;
