package io.berth.oci.content;

class MemoryContentStoreTest extends ContentStoreContract {
    @Override protected Roles newStore() {
        MemoryContentStore store = new MemoryContentStore();
        return new Roles(store, store, store);
    }
}
