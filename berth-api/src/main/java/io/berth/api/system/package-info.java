/** Docker Engine API wire types (system): records and the JSON codec, no logic. */
package io.berth.api.system;
