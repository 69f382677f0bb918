package dev.lanes.runtime.plan;

import dev.lanes.formats.plan.LanesPlan;
import dev.lanes.runtime.Tensor;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The constant table of a plan being written. Tensors are keyed by identity: a kernel's weights
 * are the same object as the constant its step reads, so they are stored once.
 */
final class ConstantTable {
    private final Map<Tensor, Integer> index = new IdentityHashMap<>();
    private final List<LanesPlan.Constant> entries = new ArrayList<>();

    /** Adds the constant of a slot. */
    void addSlot(Tensor t, int slot) {
        int i = entries.size();
        entries.add(LanesPlan.Constant.newBuilder().setSlot(slot).setTensor(Tensors.toProto(t))
                .build());
        index.putIfAbsent(t, i);
    }

    /** The index of a tensor, adding it (with no slot) when it is not in the table yet. */
    int indexOf(Tensor t) {
        Integer i = index.get(t);
        if (i != null) {
            return i;
        }
        int n = entries.size();
        entries.add(LanesPlan.Constant.newBuilder().setSlot(-1).setTensor(Tensors.toProto(t))
                .build());
        index.put(t, n);
        return n;
    }

    /** The entries in index order. */
    List<LanesPlan.Constant> entries() {
        return entries;
    }
}
