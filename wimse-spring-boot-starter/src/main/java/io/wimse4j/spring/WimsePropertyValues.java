package io.wimse4j.spring;

import io.wimse4j.core.wpt.WptTransport;

/** Property values as library values, for the starter's other packages. */
public final class WimsePropertyValues {
    private WimsePropertyValues() {
    }

    /** The library's {@link WptTransport} of a {@code wpt-transport(s)} property value. */
    public static WptTransport transport(WimseProperties.WptTransportName name) {
        return WimseSettings.transport(name);
    }
}
