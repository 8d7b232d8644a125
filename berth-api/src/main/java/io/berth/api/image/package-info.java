/** Docker Engine API wire types (image): records and the JSON codec, no logic. */
package io.berth.api.image;
