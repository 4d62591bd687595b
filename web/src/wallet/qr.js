// A QR code of a text, as an SVG image (drawn here; nothing is sent anywhere).
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import QRCode from 'qrcode';

export function QrCode({ text, label }) {
  const [src, setSrc] = useState('');
  useEffect(() => {
    QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }).then(
      (svg) => setSrc('data:image/svg+xml;charset=utf-8,' + encodeURIComponent(svg)),
      () => setSrc(''),
    );
  }, [text]);
  return src ? html`<img class="qr" src=${src} alt=${label} width="260" height="260" data-testid="qr" />` : null;
}
