/** Docker Engine API wire types (events): records and the JSON codec, no logic. */
package io.berth.api.events;
