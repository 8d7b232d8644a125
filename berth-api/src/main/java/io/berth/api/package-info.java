/** Docker Engine API wire types: records and the JSON codec, no logic. */
package io.berth.api;
