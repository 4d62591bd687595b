// Reads a QR code with the camera where the browser has BarcodeDetector; elsewhere the member
// pastes the link instead (the button is not shown).
import { html } from 'htm/preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from '../i18n/index.js';

export const canScan = typeof window !== 'undefined' && 'BarcodeDetector' in window && !!navigator.mediaDevices;

export function Scanner({ onScan, onClose }) {
  const video = useRef(null);
  const [error, setError] = useState('');
  useEffect(() => {
    let stream;
    let stop = false;
    (async () => {
      try {
        const detector = new window.BarcodeDetector({ formats: ['qr_code'] });
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } });
        video.current.srcObject = stream;
        await video.current.play();
        while (!stop) {
          const codes = await detector.detect(video.current).catch(() => []);
          if (codes.length) {
            onScan(codes[0].rawValue);
            break;
          }
          await new Promise((r) => setTimeout(r, 250));
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
  return html`<div class="scanner card">
    <video ref=${video} muted playsinline aria-label=${t('scan.video')}></video>
    ${error && html`<p class="error" role="alert">${error}</p>`}
    <button type="button" class="secondary" onClick=${onClose}>${t('scan.stop')}</button>
  </div>`;
}
