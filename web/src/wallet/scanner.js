// Reads a QR code with the camera: the browser's BarcodeDetector where it has one, else jsQR on
// frames drawn to a canvas (loaded only when a scan starts, so the wallet's first load does not
// carry it). Without a camera the member pastes the link instead (the button is not shown).
import { html } from 'htm/preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from '../i18n/index.js';

export const canScan = typeof navigator !== 'undefined' && !!navigator.mediaDevices?.getUserMedia;

/** A function reading the QR code in the video's current frame (its text, or null). */
async function reader(video) {
  if ('BarcodeDetector' in window) {
    const formats = await window.BarcodeDetector.getSupportedFormats().catch(() => []);
    if (formats.includes('qr_code')) {
      const detector = new window.BarcodeDetector({ formats: ['qr_code'] });
      return async () => (await detector.detect(video).catch(() => []))[0]?.rawValue ?? null;
    }
  }
  const { default: jsQR } = await import('jsqr');
  const canvas = document.createElement('canvas');
  const g = canvas.getContext('2d', { willReadFrequently: true });
  return async () => {
    const w = video.videoWidth;
    const h = video.videoHeight;
    if (!w || !h) return null;
    canvas.width = w;
    canvas.height = h;
    g.drawImage(video, 0, 0, w, h);
    const code = jsQR(g.getImageData(0, 0, w, h).data, w, h, { inversionAttempts: 'dontInvert' });
    return code ? code.data : null;
  };
}

export function Scanner({ onScan, onClose }) {
  const video = useRef(null);
  const [error, setError] = useState('');
  useEffect(() => {
    let stream;
    let stop = false;
    (async () => {
      try {
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } });
        video.current.srcObject = stream;
        await video.current.play();
        const read = await reader(video.current);
        while (!stop) {
          const text = await read();
          if (text) {
            onScan(text);
            break;
          }
          await new Promise((r) => setTimeout(r, 200));
        }
      } catch (e) {
        setError(t('scan.failed'));
      }
    })();
    return () => {
      stop = true;
      stream?.getTracks().forEach((tr) => tr.stop());
    };
  }, []);
  return html`<div class="scanner card" data-testid="scanner">
    <video ref=${video} muted playsinline aria-label=${t('scan.video')}></video>
    ${error && html`<p class="error" role="alert">${error}</p>`}
    <button type="button" class="secondary" onClick=${onClose}>${t('scan.stop')}</button>
  </div>`;
}
