package distill4j.kernels.device;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts host↔device copies: calls and bytes in each direction. A device implementation increments it
 * at every copy that crosses (device→device copies are not counted); tests read it around a step.
 */
public final class TransferCounter {
    private final AtomicLong toDevice = new AtomicLong(), toDeviceBytes = new AtomicLong();
    private final AtomicLong toHost = new AtomicLong(), toHostBytes = new AtomicLong();

    /** One host → device copy of {@code bytes} bytes. */
    public void hostToDevice(long bytes) {
        toDevice.incrementAndGet();
        toDeviceBytes.addAndGet(bytes);
    }

    /** One device → host copy of {@code bytes} bytes. */
    public void deviceToHost(long bytes) {
        toHost.incrementAndGet();
        toHostBytes.addAndGet(bytes);
    }

    public long hostToDeviceCopies() { return toDevice.get(); }
    public long hostToDeviceBytes() { return toDeviceBytes.get(); }
    public long deviceToHostCopies() { return toHost.get(); }
    public long deviceToHostBytes() { return toHostBytes.get(); }

    /** The four counts now, to subtract from a later one. */
    public Snapshot snapshot() {
        return new Snapshot(toDevice.get(), toDeviceBytes.get(), toHost.get(), toHostBytes.get());
    }

    /** Counts at one moment; {@link #since} gives the copies between two moments. */
    public record Snapshot(long hostToDeviceCopies, long hostToDeviceBytes, long deviceToHostCopies, long deviceToHostBytes) {
        public Snapshot since(Snapshot earlier) {
            return new Snapshot(hostToDeviceCopies - earlier.hostToDeviceCopies, hostToDeviceBytes - earlier.hostToDeviceBytes,
                    deviceToHostCopies - earlier.deviceToHostCopies, deviceToHostBytes - earlier.deviceToHostBytes);
        }

        public long copies() {
            return hostToDeviceCopies + deviceToHostCopies;
        }

        @Override
        public String toString() {
            return hostToDeviceCopies + " H→D (" + hostToDeviceBytes + " B), " + deviceToHostCopies + " D→H ("
                    + deviceToHostBytes + " B)";
        }
    }
}
