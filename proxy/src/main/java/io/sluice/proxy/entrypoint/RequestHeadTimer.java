package io.sluice.proxy.entrypoint;

/**
 * What the exchange handler tells the slowloris guard ({@link HeaderReadDeadline}): a request head was decoded,
 * and the connection now waits for the next one. {@link #NONE} where no head deadline runs (an HTTP/2 stream).
 */
interface RequestHeadTimer {
    RequestHeadTimer NONE = new RequestHeadTimer() {
        @Override
        public void headReceived() {
        }

        @Override
        public void awaitNextHead() {
        }
    };

    /** A complete request head was decoded. */
    void headReceived();

    /** The exchange ended and the connection stays open for the next request. */
    void awaitNextHead();
}
