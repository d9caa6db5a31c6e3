package io.sluice.proxy.entrypoint;

import io.netty.handler.codec.DefaultHeaders;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.util.AsciiString;

/**
 * Request header names checked as Netty checks them, except the ones the proxy itself sets on every forwarded
 * request ({@code Host} and the forwarding headers): those are constants, valid tokens by construction, recognised
 * by identity, so setting them does not re-check their characters on every request (about 1 % of the event loop's
 * time per small request went to that). Any other name, and every name decoded from a client, is a different
 * object and is checked as before: a client cannot produce one of these instances. Given to each decoded request
 * head's {@link io.sluice.proxy.upstream.WireHeaders}, which applies it to names added or set later, on the bytes
 * and after turning into Netty's headers alike.
 */
final class OwnHeaderNames implements DefaultHeaders.NameValidator<CharSequence> {
    private final AsciiString[] own;
    private final DefaultHeaders.NameValidator<CharSequence> standard =
            DefaultHttpHeadersFactory.headersFactory().getNameValidator();

    OwnHeaderNames(AsciiString... forwardingNames) {
        this.own = new AsciiString[forwardingNames.length + 1];
        own[0] = HttpHeaderNames.HOST;
        System.arraycopy(forwardingNames, 0, own, 1, forwardingNames.length);
    }

    @Override
    public void validateName(CharSequence name) {
        for (AsciiString known : own) {
            if (name == known) {
                return;
            }
        }
        standard.validateName(name);
    }
}
