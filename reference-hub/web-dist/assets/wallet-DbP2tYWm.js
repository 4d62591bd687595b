const __vite__mapDeps=(i,m=__vite__mapDeps,d=(m.f||(m.f=["assets/jsQR-DTXHP3BW.js","assets/_commonjsHelpers-CqkleIqs.js"])))=>i.map(i=>d[i]);
import{d as b,h as j,I as oe,H as Kt,t as a,m as p,F as N,M as x,e as L,T as ue,s as je,p as Ht,a as ie,b as Jt,_ as Yt,r as We,c as Ze,L as It,R as Gt,f as Qt,u as Wt,O as Zt}from"./index-DdxX2vqq.js";import{g as Xt}from"./_commonjsHelpers-CqkleIqs.js";const en="geo-wallet",Le="keys",ze="main";function tn(){return new Promise((e,t)=>{const i=indexedDB.open(en,1);i.onupgradeneeded=()=>i.result.createObjectStore(Le),i.onsuccess=()=>e(i.result),i.onerror=()=>t(i.error)})}async function Ve(e,t){const i=await tn();try{return await new Promise((n,o)=>{const r=i.transaction(Le,e),s=t(r.objectStore(Le));r.oncomplete=()=>n(s&&s.result),r.onerror=()=>o(r.error)})}finally{i.close()}}function nn(){return Ve("readonly",e=>e.get(ze))}function Ke(e){return Ve("readwrite",t=>t.put(e,ze))}function rn(){return Ve("readwrite",e=>e.delete(ze))}const Ue=new EventTarget,_={stage:"loading",record:null,identity:null,client:null,me:null,equivalents:[],notifications:[],unread:0,toast:null,path:location.pathname+location.search,names:new Map};function z(){Ue.dispatchEvent(new Event("change"))}function O(){const[,e]=b(0);return j(()=>{const t=()=>e(i=>i+1);return Ue.addEventListener("change",t),()=>Ue.removeEventListener("change",t)},[]),_}function te(e){e!==_.path&&history.pushState(null,"",e),_.path=e,z()}addEventListener("popstate",()=>{_.path=location.pathname+location.search,z()});async function on(){_.record=await nn(),_.stage=_.record?"locked":"welcome",z()}async function an(e){const t=oe.fromKeyFile(_.record.keyFile,e);await Mt(t,_.record.registered)}async function Fe(e,t,i){const n=e.toKeyFile(t);_.record={keyFile:n,pid:e.pid,registered:i},await Ke(_.record),await Mt(e,i)}async function Mt(e,t){if(_.identity=e,_.client=await Kt.connect(location.origin,e),!t)try{_.me=await _.client.login(),t=!0,_.record={..._.record,registered:!0},await Ke(_.record)}catch{t=!1}t?await Rt():(_.stage="register",z())}async function sn(e){_.me=await _.client.register(e,"person"),_.record={..._.record,registered:!0,name:e},await Ke(_.record),await Rt()}async function Rt(){const e=_.client;_.me=_.me||await e.profile(),_.equivalents=await e.equivalents(),_.names.set(_.me.pid,_.me.display_name),_.stage="ready",z(),cn(e)}async function cn(e){const t="geo.events."+e.pid,i=Number(localStorage.getItem(t)||0);try{for await(const n of e.events(i)){if(e!==_.client)break;localStorage.setItem(t,String(n.id)),_.notifications=[n,..._.notifications].slice(0,100),_.unread+=1,_.toast=n,_.refresh=(_.refresh||0)+1,z()}}catch(n){console.warn("event stream ended",n)}}function Pt(){_.identity=null,_.client=null,_.me=null,_.notifications=[],_.unread=0,_.stage=_.record?"locked":"welcome",te("/")}async function At(){await rn(),_.record=null,Pt()}async function ln(e){if(_.names.has(e))return _.names.get(e);try{const t=await _.client.participant(e);return _.names.set(e,t.display_name),t.display_name}catch{return _.names.set(e,null),null}}function Y(e){const t=_.equivalents.find(i=>i.code===e);return t?t.precision:0}function un({go:e}){return p`<section class="card welcome" data-testid="welcome">
    <h1>${a("welcome.title")}</h1>
    <p>${a("welcome.what")}</p>
    <p class="note">${a("welcome.secret")}</p>
    <div class="actions column">
      <button onClick=${()=>e("create")}>${a("welcome.create")}</button>
      <button class="secondary" onClick=${()=>e("restore")}>${a("welcome.restore")}</button>
    </div>
  </section>`}const de=8;function Nt({onDone:e,busyText:t}){const[i,n]=b(""),[o,r]=b(""),[s,c]=b(""),[l,h]=b(!1);async function u(f){if(f.preventDefault(),i.length<de)return c(a("passphrase.too_short",{n:de}));if(i!==o)return c(a("passphrase.mismatch"));c(""),h(!0);try{await e(i)}catch(m){c(L(m)),h(!1)}}return p`<form onSubmit=${u} class="card" data-testid="passphrase">
    <h2>${a("passphrase.title")}</h2>
    <p>${a("passphrase.why")}</p>
    <${N} id="pass1" label=${a("passphrase.label")} hint=${a("passphrase.hint",{n:de})}>
      <input id="pass1" type="password" autocomplete="new-password" value=${i} onInput=${f=>n(f.currentTarget.value)} aria-describedby="pass1-hint" />
    <//>
    <${N} id="pass2" label=${a("passphrase.again")}>
      <input id="pass2" type="password" autocomplete="new-password" value=${o} onInput=${f=>r(f.currentTarget.value)} />
    <//>
    <${x} kind="error">${s}<//>
    <button type="submit" disabled=${l}>${l?t||a("working"):a("passphrase.save")}</button>
  </form>`}function dn(e){const t=new Set,i=new Uint32Array(8);for(;t.size<3;){crypto.getRandomValues(i);for(const n of i)t.size<3&&t.add(n%e)}return[...t].sort((n,o)=>n-o)}function fn({back:e}){const t=ue(()=>oe.generate(),[]),i=ue(()=>t.mnemonic().split(" "),[t]),n=ue(()=>dn(i.length),[i]),[o,r]=b("words"),[s,c]=b(["","",""]),[l,h]=b("");return o==="words"?p`<section class="card" data-testid="backup-words">
      <h2>${a("create.words_title")}</h2>
      <p>${a("create.words_why")}</p>
      <ol class="words" aria-label=${a("create.words_title")}>
        ${i.map((u,f)=>p`<li key=${f}><span class="n">${f+1}</span> <span class="w">${u}</span></li>`)}
      </ol>
      <p class="note">${a("welcome.secret")}</p>
      <div class="actions">
        <button class="secondary" onClick=${e}>${a("back")}</button>
        <button onClick=${()=>r("confirm")}>${a("create.written")}</button>
      </div>
    </section>`:o==="confirm"?p`<form class="card" onSubmit=${f=>{if(f.preventDefault(),!n.every(($,v)=>s[v].trim().toLowerCase()===i[$]))return h(a("create.confirm_wrong"));h(""),r("passphrase")}} data-testid="confirm-words">
      <h2>${a("create.confirm_title")}</h2>
      <p>${a("create.confirm_why")}</p>
      ${n.map((f,m)=>p`<${N} key=${f} id=${"word"+m} label=${a("create.word_n",{n:f+1})}>
        <input id=${"word"+m} data-position=${f+1} autocomplete="off" autocapitalize="none" spellcheck=${!1}
          value=${s[m]} onInput=${$=>c(s.map((v,g)=>g===m?$.currentTarget.value:v))} />
      <//>`)}
      <${x} kind="error">${l}<//>
      <div class="actions">
        <button type="button" class="secondary" onClick=${()=>r("words")}>${a("create.show_again")}</button>
        <button type="submit">${a("create.confirm")}</button>
      </div>
    </form>`:p`<${Nt} onDone=${u=>Fe(t,u,!1)} />`}function pn({back:e}){const[t,i]=b(""),[n,o]=b(null),[r,s]=b(""),[c,l]=b(null),[h,u]=b(""),[f,m]=b(!1);if(c)return p`<${Nt} onDone=${g=>Fe(c,g,!1)} />`;const $=g=>{g.preventDefault();try{l(oe.fromMnemonic(t.trim().toLowerCase().split(/\s+/).join(" ")))}catch{u(a("restore.bad_phrase"))}},v=async g=>{if(g.preventDefault(),!n)return u(a("restore.pick_file"));m(!0);try{const B=await n.text(),S=oe.fromKeyFile(B,r);await Fe(S,r,!1)}catch(B){u(L(B)),m(!1)}};return p`<section class="card" data-testid="restore">
    <h2>${a("restore.title")}</h2>
    <form onSubmit=${$}>
      <${N} id="phrase" label=${a("restore.phrase")} hint=${a("restore.phrase_hint")}>
        <textarea id="phrase" rows="4" autocomplete="off" autocapitalize="none" spellcheck=${!1}
          value=${t} onInput=${g=>i(g.currentTarget.value)}></textarea>
      <//>
      <button type="submit">${a("restore.from_phrase")}</button>
    </form>
    <hr />
    <form onSubmit=${v}>
      <${N} id="keyfile" label=${a("restore.file")}>
        <input id="keyfile" type="file" accept=".json,application/json" onChange=${g=>o(g.currentTarget.files[0])} />
      <//>
      <${N} id="filepass" label=${a("restore.file_pass")}>
        <input id="filepass" type="password" autocomplete="current-password" value=${r} onInput=${g=>s(g.currentTarget.value)} />
      <//>
      <button type="submit" disabled=${f}>${f?a("working"):a("restore.from_file")}</button>
    </form>
    <${x} kind="error">${h}<//>
    <button class="link" onClick=${e}>${a("back")}</button>
  </section>`}function hn(){const[e,t]=b(""),[i,n]=b(""),[o,r]=b(!1),s=async l=>{l.preventDefault(),r(!0),n("");try{await an(e)}catch(h){n(L(h)),r(!1)}},c=()=>{confirm(a("unlock.forget_confirm"))&&At()};return p`<form class="card" onSubmit=${s} data-testid="unlock">
    <h2>${a("unlock.title")}</h2>
    <p>${a("unlock.who",{pid:je(_.record.pid)})}</p>
    <${N} id="unlock-pass" label=${a("passphrase.label")}>
      <input id="unlock-pass" type="password" autocomplete="current-password" value=${e} onInput=${l=>t(l.currentTarget.value)} />
    <//>
    <${x} kind="error">${i}<//>
    <button type="submit" disabled=${o}>${o?a("working"):a("unlock.open")}</button>
    <button type="button" class="link" onClick=${c}>${a("unlock.forget")}</button>
  </form>`}function gn(){const[e,t]=b(""),[i,n]=b(""),[o,r]=b(!1);return p`<form class="card" onSubmit=${async c=>{if(c.preventDefault(),!e.trim())return n(a("register.name_needed"));r(!0),n("");try{await sn(e.trim())}catch(l){n(L(l)),r(!1)}}} data-testid="register">
    <h2>${a("register.title")}</h2>
    <p>${a("register.why")}</p>
    <p><code class="pid">${_.identity.pid}</code></p>
    <${N} id="display-name" label=${a("register.name")}>
      <input id="display-name" autocomplete="name" maxlength="64" value=${e} onInput=${c=>t(c.currentTarget.value)} />
    <//>
    <${x} kind="error">${i}<//>
    <button type="submit" disabled=${o}>${o?a("working"):a("register.join")}</button>
  </form>`}function mn(){const e=O(),[t,i]=b(null),[n,o]=b("");return j(()=>{e.client.balance().then(i,r=>o(L(r)))},[e.refresh]),p`<section data-testid="dashboard">
    <h1>${a("dashboard.hello",{name:e.me.display_name})}</h1>
    <${x} kind="error">${n}<//>
    ${t&&t.length===0&&p`<div class="card"><p>${a("dashboard.empty")}</p>
      <button onClick=${()=>te("/trust")}>${a("nav.trust")}</button></div>`}
    <div class="grid">
      ${(t||[]).map(r=>p`<article class="card balance" key=${r.equivalent} data-equivalent=${r.equivalent}>
        <h2>${r.equivalent}</h2>
        <p class="net ${r.net.startsWith("-")?"negative":""}"><span>${a("dashboard.net")}</span> <strong data-testid="net">${r.net}</strong></p>
        <dl>
          <dt>${a("dashboard.owe")}</dt><dd data-testid="debt">${r.debt}</dd>
          <dt>${a("dashboard.owed")}</dt><dd data-testid="credit">${r.credit}</dd>
          <dt>${a("dashboard.trust_given")}</dt><dd>${r.trust_given}</dd>
          <dt>${a("dashboard.trust_received")}</dt><dd>${r.trust_received}</dd>
          <dt>${a("dashboard.can_pay")}</dt><dd data-testid="can-pay">${r.available_to_spend}</dd>
          <dt>${a("dashboard.can_receive")}</dt><dd>${r.available_to_receive}</dd>
        </dl>
      </article>`)}
    </div>
    <div class="actions">
      <button onClick=${()=>te("/pay")}>${a("nav.pay")}</button>
      <button class="secondary" onClick=${()=>te("/request")}>${a("nav.request")}</button>
    </div>
  </section>`}function Dt({id:e,label:t,value:i,onChange:n,error:o}){const[r,s]=b([]),[c,l]=b(!1),h=async()=>{const f=i.trim();if(f){l(!0);try{const m=await _.client.searchParticipants(f,10);s(m.filter($=>$.pid!==_.me.pid))}catch{s([])}l(!1)}},u=f=>{f.key==="Enter"&&!He(i)&&(f.preventDefault(),h())};return p`<div class="picker">
    <${N} id=${e} label=${t} hint=${a("picker.hint")} error=${o}>
      <div class="row">
        <input id=${e} autocomplete="off" autocapitalize="none" spellcheck=${!1} value=${i}
          onInput=${f=>n(f.currentTarget.value.trim())} onKeyDown=${u}
          aria-describedby=${e+"-hint"} />
        <button type="button" class="secondary" onClick=${h} disabled=${c}>${a("picker.search")}</button>
      </div>
    <//>
    ${r.length>0&&p`<ul class="results" aria-label=${a("picker.results")}>
      ${r.map(f=>p`<li key=${f.pid}><button type="button" class="link" onClick=${()=>{n(f.pid),_.names.set(f.pid,f.display_name),s([])}}>
        ${f.display_name} <code>${je(f.pid)}</code></button></li>`)}
    </ul>`}
  </div>`}function He(e){try{return Ht(e),!0}catch{return!1}}function F({pid:e}){const[t,i]=b(_.names.get(e));j(()=>{let o=!0;return ln(e).then(r=>o&&i(r)),()=>o=!1},[e]);const n=_.me&&_.me.pid===e;return p`<span class="name" title=${e}>${n?a("you"):t||a("unknown_member")} <code>${je(e)}</code></span>`}function Xe(e,t){try{const i=String(e).startsWith("-"),n=BigInt(ie(i?e.slice(1):e,t));return i?-n:n}catch{return 0n}}function $n(e,t,i){const n=Xe(t,i);if(n<=0n)return 0;const r=Xe(e,i)*100n/n;return Number(r>100n?100n:r<0n?0n:r)}function et({line:e,given:t,onEdit:i,onClose:n}){const o=t?e.debtor:e.creditor,r=$n(e.used,e.limit,Y(e.equivalent));return p`<li class="line" data-testid=${t?"line-given":"line-received"}>
    <div><${F} pid=${o} /> <span class="eq">${e.equivalent}</span></div>
    <div class="usage">
      <meter min="0" max="100" value=${r} aria-label=${a("trust.used_of",{used:e.used,limit:e.limit})}></meter>
      <span>${a("trust.used_of",{used:e.used,limit:e.limit})}</span>
    </div>
    ${!e.policy.auto_clearing&&p`<small>${a("trust.no_auto")}</small>`}
    ${t&&p`<div class="actions">
      <button class="secondary" onClick=${()=>i(e)}>${a("trust.change")}</button>
      <button class="danger" onClick=${()=>n(e)}>${a("trust.close")}</button>
    </div>`}
  </li>`}function yn(){const e=O(),[t,i]=b([]),[n,o]=b([]),[r,s]=b(""),[c,l]=b(e.equivalents[0]?.code||""),[h,u]=b(""),[f,m]=b(!0),[$,v]=b({}),[g,B]=b(null),[S,P]=b(!1),d=async()=>{const y=e.client,[q,w]=await Promise.all([y.trustLines({direction:"outgoing"}),y.trustLines({direction:"incoming"})]);i(q.filter(I=>I.status==="active")),o(w.filter(I=>I.status==="active"))};j(()=>{d().catch(y=>B({kind:"error",text:L(y)}))},[e.refresh]);const k=async y=>{y.preventDefault();const q={};He(r)?r===e.me.pid&&(q.member=a("trust.not_self")):q.member=a("pay.bad_pid");try{ie(h,Y(c))}catch(w){q.limit=L(w)}if(v(q),!Object.keys(q).length){P(!0),B(null);try{const w=await e.client.participant(r).catch(T=>{throw T.code==="E_NOT_FOUND"?Object.assign(new Error(a("pay.unknown_member")),{field:"member"}):T});e.names.set(w.pid,w.display_name);const I=f?void 0:{auto_clearing:!1,can_be_intermediate:!0,blocked_participants:[]};await e.client.setTrustLine(r,c,h,I),B({kind:"ok",text:a("trust.saved",{name:w.display_name,limit:h,equivalent:c})}),s(""),u(""),await d()}catch(w){w.field?v({[w.field]:w.message}):B({kind:"error",text:L(w)})}P(!1)}},A=y=>{s(y.debtor),l(y.equivalent),u(y.limit),m(y.policy.auto_clearing),document.getElementById("trust-member")?.focus()},C=async y=>{B(null);try{await e.client.closeTrustLine(y.debtor,y.equivalent),B({kind:"ok",text:a("trust.closed")}),await d(),z()}catch(q){B({kind:"error",text:a("trust.close_refused",{why:L(q)})})}};return p`<section data-testid="trust">
    <h1>${a("nav.trust")}</h1>
    <${x} kind=${g?.kind} testid="trust-message">${g?.text}<//>
    <form class="card" onSubmit=${k} novalidate>
      <h2>${a("trust.set_title")}</h2>
      <p class="note">${a("trust.explain")}</p>
      <${Dt} id="trust-member" label=${a("trust.member")} value=${r} onChange=${s} error=${$.member} />
      <${N} id="trust-eq" label=${a("equivalent")}>
        <select id="trust-eq" value=${c} onChange=${y=>l(y.currentTarget.value)}>
          ${e.equivalents.map(y=>p`<option value=${y.code}>${y.code}${y.description?" — "+y.description:""}</option>`)}
        </select>
      <//>
      <${N} id="trust-limit" label=${a("trust.limit")} hint=${a("amount.hint",{n:Y(c)})} error=${$.limit}>
        <input id="trust-limit" inputmode="decimal" autocomplete="off" value=${h} onInput=${y=>u(y.currentTarget.value.trim())} aria-describedby="trust-limit-hint" />
      <//>
      <div class="field check">
        <input id="trust-auto" type="checkbox" checked=${f} onChange=${y=>m(y.currentTarget.checked)} />
        <label for="trust-auto">${a("trust.auto")}</label>
      </div>
      <button type="submit" disabled=${S}>${S?a("working"):a("trust.save")}</button>
    </form>
    <div class="grid">
      <div class="card">
        <h2>${a("trust.given")}</h2>
        ${t.length===0?p`<p>${a("trust.none")}</p>`:p`<ul class="lines">${t.map(y=>p`<${et} key=${y.id} line=${y} given onEdit=${A} onClose=${C} />`)}</ul>`}
      </div>
      <div class="card">
        <h2>${a("trust.received")}</h2>
        ${n.length===0?p`<p>${a("trust.none")}</p>`:p`<ul class="lines">${n.map(y=>p`<${et} key=${y.id} line=${y} />`)}</ul>`}
      </div>
    </div>
  </section>`}function vn({record:e}){const t=e.payment||e,i=e.payment?e.receipt:e,n=t.status==="committed";return p`<article class="card receipt ${n?"ok":"failed"}" data-testid="receipt" aria-live="polite">
    <h2>${n?a("receipt.paid"):a("receipt.not_paid")}</h2>
    <p class="big">${t.amount} ${t.equivalent}</p>
    <p>${a("receipt.to")} <${F} pid=${t.payee} /></p>
    ${i&&p`<p class="note">${a("receipt.verified")}</p>`}
    ${t.routes.length>0&&p`<div>
      <h3>${a("receipt.paths",{n:t.routes.length})}</h3>
      <ol class="routes">
        ${t.routes.map((o,r)=>p`<li key=${r}>
          ${o.path.map((s,c)=>p`${c>0?" → ":""}<${F} pid=${s} />`)}
          <strong> ${o.amount}</strong>
        </li>`)}
      </ol>
    </div>`}
    <small class="mono">tx ${t.tx_id}</small>
  </article>`}const wn=typeof navigator<"u"&&!!navigator.mediaDevices?.getUserMedia;async function bn(e){if("BarcodeDetector"in window&&(await window.BarcodeDetector.getSupportedFormats().catch(()=>[])).includes("qr_code")){const r=new window.BarcodeDetector({formats:["qr_code"]});return async()=>(await r.detect(e).catch(()=>[]))[0]?.rawValue??null}const{default:t}=await Yt(async()=>{const{default:o}=await import("./jsQR-DTXHP3BW.js").then(r=>r.j);return{default:o}},__vite__mapDeps([0,1])),i=document.createElement("canvas"),n=i.getContext("2d",{willReadFrequently:!0});return async()=>{const o=e.videoWidth,r=e.videoHeight;if(!o||!r)return null;i.width=o,i.height=r,n.drawImage(e,0,0,o,r);const s=t(n.getImageData(0,0,o,r).data,o,r,{inversionAttempts:"dontInvert"});return s?s.data:null}}function kn({onScan:e,onClose:t}){const i=Jt(null),[n,o]=b("");return j(()=>{let r,s=!1;return(async()=>{try{r=await navigator.mediaDevices.getUserMedia({video:{facingMode:"environment"}}),i.current.srcObject=r,await i.current.play();const c=await bn(i.current);for(;!s;){const l=await c();if(l){e(l);break}await new Promise(h=>setTimeout(h,200))}}catch{o(a("scan.failed"))}})(),()=>{s=!0,r?.getTracks().forEach(c=>c.stop())}},[]),p`<div class="scanner card" data-testid="scanner">
    <video ref=${i} muted playsinline aria-label=${a("scan.video")}></video>
    ${n&&p`<p class="error" role="alert">${n}</p>`}
    <button type="button" class="secondary" onClick=${t}>${a("scan.stop")}</button>
  </div>`}function Cn(){return new URLSearchParams(location.search).get("invoice")||""}function En(){const e=O(),[t,i]=b(Cn()),[n,o]=b(null),[r,s]=b(""),[c,l]=b(e.equivalents[0]?.code||""),[h,u]=b(""),[f,m]=b(""),[$,v]=b({}),[g,B]=b(null),[S,P]=b(null),[d,k]=b(""),[A,C]=b(!1),[y,q]=b(!1),w=E=>{if(k(""),B(null),P(null),o(null),typeof We!="function")return v({link:a("invoice.unsupported")});try{const D=We(E.trim(),e.client.hubPid);v({}),o(D),I(D.payee,D.equivalent,D.amount)}catch(D){v({link:L(D)})}};j(()=>{t&&w(t)},[]);const I=async(E,D,U)=>{try{const X=await e.client.capacity(E,D,U);B(X)}catch(X){k(L(X))}},T=async E=>{E.preventDefault(),P(null),B(null),k("");const D={};He(r)?r===e.me.pid&&(D.payee=a("pay.not_self")):D.payee=a("pay.bad_pid");try{ie(h,Y(c)),/^0*(\.0*)?$/.test(h)&&(D.amount=a("pay.positive"))}catch(U){D.amount=L(U)}if(v(D),!Object.keys(D).length){C(!0);try{const U=await e.client.participant(r);e.names.set(U.pid,U.display_name),await I(r,c,h)}catch(U){U.code==="E_NOT_FOUND"?v({payee:a("pay.unknown_member")}):k(L(U))}C(!1)}},R=async()=>{C(!0),k("");try{const E=n?await e.client.payInvoice(n):await e.client.pay({payee:r,equivalent:c,amount:h,...f?{description:f}:{}});P(E),B(null),o(null),i(""),u(""),z()}catch(E){k(L(E))}C(!1)},M=n?{payee:n.payee,equivalent:n.equivalent,amount:n.amount}:{equivalent:c,amount:h};return p`<section data-testid="pay">
    <h1>${a("nav.pay")}</h1>
    <form class="card" onSubmit=${E=>{E.preventDefault(),w(t)}} novalidate>
      <h2>${a("pay.by_request")}</h2>
      <${N} id="invoice-link" label=${a("pay.request_link")} hint=${a("pay.request_hint")} error=${$.link}>
        <textarea id="invoice-link" rows="2" autocomplete="off" spellcheck=${!1} value=${t} onInput=${E=>i(E.currentTarget.value)} aria-describedby="invoice-link-hint"></textarea>
      <//>
      <div class="actions">
        <button type="submit" class="secondary">${a("pay.open_request")}</button>
        ${wn&&p`<button type="button" class="secondary" onClick=${()=>q(!0)}>${a("scan.start")}</button>`}
      </div>
      ${y&&p`<${kn} onScan=${E=>{q(!1),i(E),w(E)}} onClose=${()=>q(!1)} />`}
    </form>
    ${n&&p`<article class="card invoice" data-testid="invoice">
      <h2>${a("invoice.title")}</h2>
      <p class="big">${n.amount} ${n.equivalent}</p>
      <p>${a("receipt.to")} <${F} pid=${n.payee} /></p>
      ${n.description&&p`<p>“${n.description}”</p>`}
      <p class="note">${a("invoice.checked",{until:new Date(n.expires_at).toLocaleString()})}</p>
    </article>`}
    ${!n&&p`<form class="card" onSubmit=${T} novalidate>
      <h2>${a("pay.direct")}</h2>
      <${Dt} id="pay-to" label=${a("pay.to")} value=${r} onChange=${E=>{s(E),B(null)}} error=${$.payee} />
      <${N} id="pay-eq" label=${a("equivalent")}>
        <select id="pay-eq" value=${c} onChange=${E=>{l(E.currentTarget.value),B(null)}}>
          ${e.equivalents.map(E=>p`<option value=${E.code}>${E.code}</option>`)}
        </select>
      <//>
      <${N} id="pay-amount" label=${a("amount")} hint=${a("amount.hint",{n:Y(c)})} error=${$.amount}>
        <input id="pay-amount" inputmode="decimal" autocomplete="off" value=${h} onInput=${E=>{u(E.currentTarget.value.trim()),B(null)}} aria-describedby="pay-amount-hint" />
      <//>
      <${N} id="pay-desc" label=${a("pay.description")}>
        <input id="pay-desc" maxlength="200" value=${f} onInput=${E=>m(E.currentTarget.value)} />
      <//>
      <button type="submit" class="secondary" disabled=${A}>${a("pay.preview")}</button>
    </form>`}
    ${g&&p`<div class="card preview" data-testid="preview">
      <p>${a("pay.max_now",{amount:g.max_amount,equivalent:g.equivalent})}</p>
      ${g.can_pay===!1?p`<p class="error" role="alert">${a("pay.cannot",{amount:M.amount})}</p>`:p`<button onClick=${R} disabled=${A}>${A?a("working"):a("pay.sign_send",{amount:M.amount,equivalent:M.equivalent})}</button>`}
    </div>`}
    <${x} kind="error" testid="pay-error">${d}<//>
    ${S&&p`<${vn} record=${S} />`}
  </section>`}var Z={},fe,tt;function qn(){return tt||(tt=1,fe=function(){return typeof Promise=="function"&&Promise.prototype&&Promise.prototype.then}),fe}var pe={},J={},nt;function G(){if(nt)return J;nt=1;let e;const t=[0,26,44,70,100,134,172,196,242,292,346,404,466,532,581,655,733,815,901,991,1085,1156,1258,1364,1474,1588,1706,1828,1921,2051,2185,2323,2465,2611,2761,2876,3034,3196,3362,3532,3706];return J.getSymbolSize=function(n){if(!n)throw new Error('"version" cannot be null or undefined');if(n<1||n>40)throw new Error('"version" should be in range from 1 to 40');return n*4+17},J.getSymbolTotalCodewords=function(n){return t[n]},J.getBCHDigit=function(i){let n=0;for(;i!==0;)n++,i>>>=1;return n},J.setToSJISFunction=function(n){if(typeof n!="function")throw new Error('"toSJISFunc" is not a valid function.');e=n},J.isKanjiModeEnabled=function(){return typeof e<"u"},J.toSJIS=function(n){return e(n)},J}var he={},rt;function Je(){return rt||(rt=1,(function(e){e.L={bit:1},e.M={bit:0},e.Q={bit:3},e.H={bit:2};function t(i){if(typeof i!="string")throw new Error("Param is not a string");switch(i.toLowerCase()){case"l":case"low":return e.L;case"m":case"medium":return e.M;case"q":case"quartile":return e.Q;case"h":case"high":return e.H;default:throw new Error("Unknown EC Level: "+i)}}e.isValid=function(n){return n&&typeof n.bit<"u"&&n.bit>=0&&n.bit<4},e.from=function(n,o){if(e.isValid(n))return n;try{return t(n)}catch{return o}}})(he)),he}var ge,ot;function _n(){if(ot)return ge;ot=1;function e(){this.buffer=[],this.length=0}return e.prototype={get:function(t){const i=Math.floor(t/8);return(this.buffer[i]>>>7-t%8&1)===1},put:function(t,i){for(let n=0;n<i;n++)this.putBit((t>>>i-n-1&1)===1)},getLengthInBits:function(){return this.length},putBit:function(t){const i=Math.floor(this.length/8);this.buffer.length<=i&&this.buffer.push(0),t&&(this.buffer[i]|=128>>>this.length%8),this.length++}},ge=e,ge}var me,it;function Bn(){if(it)return me;it=1;function e(t){if(!t||t<1)throw new Error("BitMatrix size must be defined and greater than 0");this.size=t,this.data=new Uint8Array(t*t),this.reservedBit=new Uint8Array(t*t)}return e.prototype.set=function(t,i,n,o){const r=t*this.size+i;this.data[r]=n,o&&(this.reservedBit[r]=!0)},e.prototype.get=function(t,i){return this.data[t*this.size+i]},e.prototype.xor=function(t,i,n){this.data[t*this.size+i]^=n},e.prototype.isReserved=function(t,i){return this.reservedBit[t*this.size+i]},me=e,me}var $e={},at;function Sn(){return at||(at=1,(function(e){const t=G().getSymbolSize;e.getRowColCoords=function(n){if(n===1)return[];const o=Math.floor(n/7)+2,r=t(n),s=r===145?26:Math.ceil((r-13)/(2*o-2))*2,c=[r-7];for(let l=1;l<o-1;l++)c[l]=c[l-1]-s;return c.push(6),c.reverse()},e.getPositions=function(n){const o=[],r=e.getRowColCoords(n),s=r.length;for(let c=0;c<s;c++)for(let l=0;l<s;l++)c===0&&l===0||c===0&&l===s-1||c===s-1&&l===0||o.push([r[c],r[l]]);return o}})($e)),$e}var ye={},st;function Tn(){if(st)return ye;st=1;const e=G().getSymbolSize,t=7;return ye.getPositions=function(n){const o=e(n);return[[0,0],[o-t,0],[0,o-t]]},ye}var ve={},ct;function In(){return ct||(ct=1,(function(e){e.Patterns={PATTERN000:0,PATTERN001:1,PATTERN010:2,PATTERN011:3,PATTERN100:4,PATTERN101:5,PATTERN110:6,PATTERN111:7};const t={N1:3,N2:3,N3:40,N4:10};e.isValid=function(o){return o!=null&&o!==""&&!isNaN(o)&&o>=0&&o<=7},e.from=function(o){return e.isValid(o)?parseInt(o,10):void 0},e.getPenaltyN1=function(o){const r=o.size;let s=0,c=0,l=0,h=null,u=null;for(let f=0;f<r;f++){c=l=0,h=u=null;for(let m=0;m<r;m++){let $=o.get(f,m);$===h?c++:(c>=5&&(s+=t.N1+(c-5)),h=$,c=1),$=o.get(m,f),$===u?l++:(l>=5&&(s+=t.N1+(l-5)),u=$,l=1)}c>=5&&(s+=t.N1+(c-5)),l>=5&&(s+=t.N1+(l-5))}return s},e.getPenaltyN2=function(o){const r=o.size;let s=0;for(let c=0;c<r-1;c++)for(let l=0;l<r-1;l++){const h=o.get(c,l)+o.get(c,l+1)+o.get(c+1,l)+o.get(c+1,l+1);(h===4||h===0)&&s++}return s*t.N2},e.getPenaltyN3=function(o){const r=o.size;let s=0,c=0,l=0;for(let h=0;h<r;h++){c=l=0;for(let u=0;u<r;u++)c=c<<1&2047|o.get(h,u),u>=10&&(c===1488||c===93)&&s++,l=l<<1&2047|o.get(u,h),u>=10&&(l===1488||l===93)&&s++}return s*t.N3},e.getPenaltyN4=function(o){let r=0;const s=o.data.length;for(let l=0;l<s;l++)r+=o.data[l];return Math.abs(Math.ceil(r*100/s/5)-10)*t.N4};function i(n,o,r){switch(n){case e.Patterns.PATTERN000:return(o+r)%2===0;case e.Patterns.PATTERN001:return o%2===0;case e.Patterns.PATTERN010:return r%3===0;case e.Patterns.PATTERN011:return(o+r)%3===0;case e.Patterns.PATTERN100:return(Math.floor(o/2)+Math.floor(r/3))%2===0;case e.Patterns.PATTERN101:return o*r%2+o*r%3===0;case e.Patterns.PATTERN110:return(o*r%2+o*r%3)%2===0;case e.Patterns.PATTERN111:return(o*r%3+(o+r)%2)%2===0;default:throw new Error("bad maskPattern:"+n)}}e.applyMask=function(o,r){const s=r.size;for(let c=0;c<s;c++)for(let l=0;l<s;l++)r.isReserved(l,c)||r.xor(l,c,i(o,l,c))},e.getBestMask=function(o,r){const s=Object.keys(e.Patterns).length;let c=0,l=1/0;for(let h=0;h<s;h++){r(h),e.applyMask(h,o);const u=e.getPenaltyN1(o)+e.getPenaltyN2(o)+e.getPenaltyN3(o)+e.getPenaltyN4(o);e.applyMask(h,o),u<l&&(l=u,c=h)}return c}})(ve)),ve}var re={},lt;function Lt(){if(lt)return re;lt=1;const e=Je(),t=[1,1,1,1,1,1,1,1,1,1,2,2,1,2,2,4,1,2,4,4,2,4,4,4,2,4,6,5,2,4,6,6,2,5,8,8,4,5,8,8,4,5,8,11,4,8,10,11,4,9,12,16,4,9,16,16,6,10,12,18,6,10,17,16,6,11,16,19,6,13,18,21,7,14,21,25,8,16,20,25,8,17,23,25,9,17,23,34,9,18,25,30,10,20,27,32,12,21,29,35,12,23,34,37,12,25,34,40,13,26,35,42,14,28,38,45,15,29,40,48,16,31,43,51,17,33,45,54,18,35,48,57,19,37,51,60,19,38,53,63,20,40,56,66,21,43,59,70,22,45,62,74,24,47,65,77,25,49,68,81],i=[7,10,13,17,10,16,22,28,15,26,36,44,20,36,52,64,26,48,72,88,36,64,96,112,40,72,108,130,48,88,132,156,60,110,160,192,72,130,192,224,80,150,224,264,96,176,260,308,104,198,288,352,120,216,320,384,132,240,360,432,144,280,408,480,168,308,448,532,180,338,504,588,196,364,546,650,224,416,600,700,224,442,644,750,252,476,690,816,270,504,750,900,300,560,810,960,312,588,870,1050,336,644,952,1110,360,700,1020,1200,390,728,1050,1260,420,784,1140,1350,450,812,1200,1440,480,868,1290,1530,510,924,1350,1620,540,980,1440,1710,570,1036,1530,1800,570,1064,1590,1890,600,1120,1680,1980,630,1204,1770,2100,660,1260,1860,2220,720,1316,1950,2310,750,1372,2040,2430];return re.getBlocksCount=function(o,r){switch(r){case e.L:return t[(o-1)*4+0];case e.M:return t[(o-1)*4+1];case e.Q:return t[(o-1)*4+2];case e.H:return t[(o-1)*4+3];default:return}},re.getTotalCodewordsCount=function(o,r){switch(r){case e.L:return i[(o-1)*4+0];case e.M:return i[(o-1)*4+1];case e.Q:return i[(o-1)*4+2];case e.H:return i[(o-1)*4+3];default:return}},re}var we={},ee={},ut;function Mn(){if(ut)return ee;ut=1;const e=new Uint8Array(512),t=new Uint8Array(256);return(function(){let n=1;for(let o=0;o<255;o++)e[o]=n,t[n]=o,n<<=1,n&256&&(n^=285);for(let o=255;o<512;o++)e[o]=e[o-255]})(),ee.log=function(n){if(n<1)throw new Error("log("+n+")");return t[n]},ee.exp=function(n){return e[n]},ee.mul=function(n,o){return n===0||o===0?0:e[t[n]+t[o]]},ee}var dt;function Rn(){return dt||(dt=1,(function(e){const t=Mn();e.mul=function(n,o){const r=new Uint8Array(n.length+o.length-1);for(let s=0;s<n.length;s++)for(let c=0;c<o.length;c++)r[s+c]^=t.mul(n[s],o[c]);return r},e.mod=function(n,o){let r=new Uint8Array(n);for(;r.length-o.length>=0;){const s=r[0];for(let l=0;l<o.length;l++)r[l]^=t.mul(o[l],s);let c=0;for(;c<r.length&&r[c]===0;)c++;r=r.slice(c)}return r},e.generateECPolynomial=function(n){let o=new Uint8Array([1]);for(let r=0;r<n;r++)o=e.mul(o,new Uint8Array([1,t.exp(r)]));return o}})(we)),we}var be,ft;function Pn(){if(ft)return be;ft=1;const e=Rn();function t(i){this.genPoly=void 0,this.degree=i,this.degree&&this.initialize(this.degree)}return t.prototype.initialize=function(n){this.degree=n,this.genPoly=e.generateECPolynomial(this.degree)},t.prototype.encode=function(n){if(!this.genPoly)throw new Error("Encoder not initialized");const o=new Uint8Array(n.length+this.degree);o.set(n);const r=e.mod(o,this.genPoly),s=this.degree-r.length;if(s>0){const c=new Uint8Array(this.degree);return c.set(r,s),c}return r},be=t,be}var ke={},Ce={},Ee={},pt;function Ut(){return pt||(pt=1,Ee.isValid=function(t){return!isNaN(t)&&t>=1&&t<=40}),Ee}var V={},ht;function Ft(){if(ht)return V;ht=1;const e="[0-9]+",t="[A-Z $%*+\\-./:]+";let i="(?:[u3000-u303F]|[u3040-u309F]|[u30A0-u30FF]|[uFF00-uFFEF]|[u4E00-u9FAF]|[u2605-u2606]|[u2190-u2195]|u203B|[u2010u2015u2018u2019u2025u2026u201Cu201Du2225u2260]|[u0391-u0451]|[u00A7u00A8u00B1u00B4u00D7u00F7])+";i=i.replace(/u/g,"\\u");const n="(?:(?![A-Z0-9 $%*+\\-./:]|"+i+`)(?:.|[\r
]))+`;V.KANJI=new RegExp(i,"g"),V.BYTE_KANJI=new RegExp("[^A-Z0-9 $%*+\\-./:]+","g"),V.BYTE=new RegExp(n,"g"),V.NUMERIC=new RegExp(e,"g"),V.ALPHANUMERIC=new RegExp(t,"g");const o=new RegExp("^"+i+"$"),r=new RegExp("^"+e+"$"),s=new RegExp("^[A-Z0-9 $%*+\\-./:]+$");return V.testKanji=function(l){return o.test(l)},V.testNumeric=function(l){return r.test(l)},V.testAlphanumeric=function(l){return s.test(l)},V}var gt;function Q(){return gt||(gt=1,(function(e){const t=Ut(),i=Ft();e.NUMERIC={id:"Numeric",bit:1,ccBits:[10,12,14]},e.ALPHANUMERIC={id:"Alphanumeric",bit:2,ccBits:[9,11,13]},e.BYTE={id:"Byte",bit:4,ccBits:[8,16,16]},e.KANJI={id:"Kanji",bit:8,ccBits:[8,10,12]},e.MIXED={bit:-1},e.getCharCountIndicator=function(r,s){if(!r.ccBits)throw new Error("Invalid mode: "+r);if(!t.isValid(s))throw new Error("Invalid version: "+s);return s>=1&&s<10?r.ccBits[0]:s<27?r.ccBits[1]:r.ccBits[2]},e.getBestModeForData=function(r){return i.testNumeric(r)?e.NUMERIC:i.testAlphanumeric(r)?e.ALPHANUMERIC:i.testKanji(r)?e.KANJI:e.BYTE},e.toString=function(r){if(r&&r.id)return r.id;throw new Error("Invalid mode")},e.isValid=function(r){return r&&r.bit&&r.ccBits};function n(o){if(typeof o!="string")throw new Error("Param is not a string");switch(o.toLowerCase()){case"numeric":return e.NUMERIC;case"alphanumeric":return e.ALPHANUMERIC;case"kanji":return e.KANJI;case"byte":return e.BYTE;default:throw new Error("Unknown mode: "+o)}}e.from=function(r,s){if(e.isValid(r))return r;try{return n(r)}catch{return s}}})(Ce)),Ce}var mt;function An(){return mt||(mt=1,(function(e){const t=G(),i=Lt(),n=Je(),o=Q(),r=Ut(),s=7973,c=t.getBCHDigit(s);function l(m,$,v){for(let g=1;g<=40;g++)if($<=e.getCapacity(g,v,m))return g}function h(m,$){return o.getCharCountIndicator(m,$)+4}function u(m,$){let v=0;return m.forEach(function(g){const B=h(g.mode,$);v+=B+g.getBitsLength()}),v}function f(m,$){for(let v=1;v<=40;v++)if(u(m,v)<=e.getCapacity(v,$,o.MIXED))return v}e.from=function($,v){return r.isValid($)?parseInt($,10):v},e.getCapacity=function($,v,g){if(!r.isValid($))throw new Error("Invalid QR Code version");typeof g>"u"&&(g=o.BYTE);const B=t.getSymbolTotalCodewords($),S=i.getTotalCodewordsCount($,v),P=(B-S)*8;if(g===o.MIXED)return P;const d=P-h(g,$);switch(g){case o.NUMERIC:return Math.floor(d/10*3);case o.ALPHANUMERIC:return Math.floor(d/11*2);case o.KANJI:return Math.floor(d/13);case o.BYTE:default:return Math.floor(d/8)}},e.getBestVersionForData=function($,v){let g;const B=n.from(v,n.M);if(Array.isArray($)){if($.length>1)return f($,B);if($.length===0)return 1;g=$[0]}else g=$;return l(g.mode,g.getLength(),B)},e.getEncodedBits=function($){if(!r.isValid($)||$<7)throw new Error("Invalid QR Code version");let v=$<<12;for(;t.getBCHDigit(v)-c>=0;)v^=s<<t.getBCHDigit(v)-c;return $<<12|v}})(ke)),ke}var qe={},$t;function Nn(){if($t)return qe;$t=1;const e=G(),t=1335,i=21522,n=e.getBCHDigit(t);return qe.getEncodedBits=function(r,s){const c=r.bit<<3|s;let l=c<<10;for(;e.getBCHDigit(l)-n>=0;)l^=t<<e.getBCHDigit(l)-n;return(c<<10|l)^i},qe}var _e={},Be,yt;function Dn(){if(yt)return Be;yt=1;const e=Q();function t(i){this.mode=e.NUMERIC,this.data=i.toString()}return t.getBitsLength=function(n){return 10*Math.floor(n/3)+(n%3?n%3*3+1:0)},t.prototype.getLength=function(){return this.data.length},t.prototype.getBitsLength=function(){return t.getBitsLength(this.data.length)},t.prototype.write=function(n){let o,r,s;for(o=0;o+3<=this.data.length;o+=3)r=this.data.substr(o,3),s=parseInt(r,10),n.put(s,10);const c=this.data.length-o;c>0&&(r=this.data.substr(o),s=parseInt(r,10),n.put(s,c*3+1))},Be=t,Be}var Se,vt;function Ln(){if(vt)return Se;vt=1;const e=Q(),t=["0","1","2","3","4","5","6","7","8","9","A","B","C","D","E","F","G","H","I","J","K","L","M","N","O","P","Q","R","S","T","U","V","W","X","Y","Z"," ","$","%","*","+","-",".","/",":"];function i(n){this.mode=e.ALPHANUMERIC,this.data=n}return i.getBitsLength=function(o){return 11*Math.floor(o/2)+6*(o%2)},i.prototype.getLength=function(){return this.data.length},i.prototype.getBitsLength=function(){return i.getBitsLength(this.data.length)},i.prototype.write=function(o){let r;for(r=0;r+2<=this.data.length;r+=2){let s=t.indexOf(this.data[r])*45;s+=t.indexOf(this.data[r+1]),o.put(s,11)}this.data.length%2&&o.put(t.indexOf(this.data[r]),6)},Se=i,Se}var Te,wt;function Un(){if(wt)return Te;wt=1;const e=Q();function t(i){this.mode=e.BYTE,typeof i=="string"?this.data=new TextEncoder().encode(i):this.data=new Uint8Array(i)}return t.getBitsLength=function(n){return n*8},t.prototype.getLength=function(){return this.data.length},t.prototype.getBitsLength=function(){return t.getBitsLength(this.data.length)},t.prototype.write=function(i){for(let n=0,o=this.data.length;n<o;n++)i.put(this.data[n],8)},Te=t,Te}var Ie,bt;function Fn(){if(bt)return Ie;bt=1;const e=Q(),t=G();function i(n){this.mode=e.KANJI,this.data=n}return i.getBitsLength=function(o){return o*13},i.prototype.getLength=function(){return this.data.length},i.prototype.getBitsLength=function(){return i.getBitsLength(this.data.length)},i.prototype.write=function(n){let o;for(o=0;o<this.data.length;o++){let r=t.toSJIS(this.data[o]);if(r>=33088&&r<=40956)r-=33088;else if(r>=57408&&r<=60351)r-=49472;else throw new Error("Invalid SJIS character: "+this.data[o]+`
Make sure your charset is UTF-8`);r=(r>>>8&255)*192+(r&255),n.put(r,13)}},Ie=i,Ie}var Me={exports:{}},kt;function xn(){return kt||(kt=1,(function(e){var t={single_source_shortest_paths:function(i,n,o){var r={},s={};s[n]=0;var c=t.PriorityQueue.make();c.push(n,0);for(var l,h,u,f,m,$,v,g,B;!c.empty();){l=c.pop(),h=l.value,f=l.cost,m=i[h]||{};for(u in m)m.hasOwnProperty(u)&&($=m[u],v=f+$,g=s[u],B=typeof s[u]>"u",(B||g>v)&&(s[u]=v,c.push(u,v),r[u]=h))}if(typeof o<"u"&&typeof s[o]>"u"){var S=["Could not find a path from ",n," to ",o,"."].join("");throw new Error(S)}return r},extract_shortest_path_from_predecessor_list:function(i,n){for(var o=[],r=n;r;)o.push(r),i[r],r=i[r];return o.reverse(),o},find_path:function(i,n,o){var r=t.single_source_shortest_paths(i,n,o);return t.extract_shortest_path_from_predecessor_list(r,o)},PriorityQueue:{make:function(i){var n=t.PriorityQueue,o={},r;i=i||{};for(r in n)n.hasOwnProperty(r)&&(o[r]=n[r]);return o.queue=[],o.sorter=i.sorter||n.default_sorter,o},default_sorter:function(i,n){return i.cost-n.cost},push:function(i,n){var o={value:i,cost:n};this.queue.push(o),this.queue.sort(this.sorter)},pop:function(){return this.queue.shift()},empty:function(){return this.queue.length===0}}};e.exports=t})(Me)),Me.exports}var Ct;function On(){return Ct||(Ct=1,(function(e){const t=Q(),i=Dn(),n=Ln(),o=Un(),r=Fn(),s=Ft(),c=G(),l=xn();function h(S){return unescape(encodeURIComponent(S)).length}function u(S,P,d){const k=[];let A;for(;(A=S.exec(d))!==null;)k.push({data:A[0],index:A.index,mode:P,length:A[0].length});return k}function f(S){const P=u(s.NUMERIC,t.NUMERIC,S),d=u(s.ALPHANUMERIC,t.ALPHANUMERIC,S);let k,A;return c.isKanjiModeEnabled()?(k=u(s.BYTE,t.BYTE,S),A=u(s.KANJI,t.KANJI,S)):(k=u(s.BYTE_KANJI,t.BYTE,S),A=[]),P.concat(d,k,A).sort(function(y,q){return y.index-q.index}).map(function(y){return{data:y.data,mode:y.mode,length:y.length}})}function m(S,P){switch(P){case t.NUMERIC:return i.getBitsLength(S);case t.ALPHANUMERIC:return n.getBitsLength(S);case t.KANJI:return r.getBitsLength(S);case t.BYTE:return o.getBitsLength(S)}}function $(S){return S.reduce(function(P,d){const k=P.length-1>=0?P[P.length-1]:null;return k&&k.mode===d.mode?(P[P.length-1].data+=d.data,P):(P.push(d),P)},[])}function v(S){const P=[];for(let d=0;d<S.length;d++){const k=S[d];switch(k.mode){case t.NUMERIC:P.push([k,{data:k.data,mode:t.ALPHANUMERIC,length:k.length},{data:k.data,mode:t.BYTE,length:k.length}]);break;case t.ALPHANUMERIC:P.push([k,{data:k.data,mode:t.BYTE,length:k.length}]);break;case t.KANJI:P.push([k,{data:k.data,mode:t.BYTE,length:h(k.data)}]);break;case t.BYTE:P.push([{data:k.data,mode:t.BYTE,length:h(k.data)}])}}return P}function g(S,P){const d={},k={start:{}};let A=["start"];for(let C=0;C<S.length;C++){const y=S[C],q=[];for(let w=0;w<y.length;w++){const I=y[w],T=""+C+w;q.push(T),d[T]={node:I,lastCount:0},k[T]={};for(let R=0;R<A.length;R++){const M=A[R];d[M]&&d[M].node.mode===I.mode?(k[M][T]=m(d[M].lastCount+I.length,I.mode)-m(d[M].lastCount,I.mode),d[M].lastCount+=I.length):(d[M]&&(d[M].lastCount=I.length),k[M][T]=m(I.length,I.mode)+4+t.getCharCountIndicator(I.mode,P))}}A=q}for(let C=0;C<A.length;C++)k[A[C]].end=0;return{map:k,table:d}}function B(S,P){let d;const k=t.getBestModeForData(S);if(d=t.from(P,k),d!==t.BYTE&&d.bit<k.bit)throw new Error('"'+S+'" cannot be encoded with mode '+t.toString(d)+`.
 Suggested mode is: `+t.toString(k));switch(d===t.KANJI&&!c.isKanjiModeEnabled()&&(d=t.BYTE),d){case t.NUMERIC:return new i(S);case t.ALPHANUMERIC:return new n(S);case t.KANJI:return new r(S);case t.BYTE:return new o(S)}}e.fromArray=function(P){return P.reduce(function(d,k){return typeof k=="string"?d.push(B(k,null)):k.data&&d.push(B(k.data,k.mode)),d},[])},e.fromString=function(P,d){const k=f(P,c.isKanjiModeEnabled()),A=v(k),C=g(A,d),y=l.find_path(C.map,"start","end"),q=[];for(let w=1;w<y.length-1;w++)q.push(C.table[y[w]].node);return e.fromArray($(q))},e.rawSplit=function(P){return e.fromArray(f(P,c.isKanjiModeEnabled()))}})(_e)),_e}var Et;function jn(){if(Et)return pe;Et=1;const e=G(),t=Je(),i=_n(),n=Bn(),o=Sn(),r=Tn(),s=In(),c=Lt(),l=Pn(),h=An(),u=Nn(),f=Q(),m=On();function $(C,y){const q=C.size,w=r.getPositions(y);for(let I=0;I<w.length;I++){const T=w[I][0],R=w[I][1];for(let M=-1;M<=7;M++)if(!(T+M<=-1||q<=T+M))for(let E=-1;E<=7;E++)R+E<=-1||q<=R+E||(M>=0&&M<=6&&(E===0||E===6)||E>=0&&E<=6&&(M===0||M===6)||M>=2&&M<=4&&E>=2&&E<=4?C.set(T+M,R+E,!0,!0):C.set(T+M,R+E,!1,!0))}}function v(C){const y=C.size;for(let q=8;q<y-8;q++){const w=q%2===0;C.set(q,6,w,!0),C.set(6,q,w,!0)}}function g(C,y){const q=o.getPositions(y);for(let w=0;w<q.length;w++){const I=q[w][0],T=q[w][1];for(let R=-2;R<=2;R++)for(let M=-2;M<=2;M++)R===-2||R===2||M===-2||M===2||R===0&&M===0?C.set(I+R,T+M,!0,!0):C.set(I+R,T+M,!1,!0)}}function B(C,y){const q=C.size,w=h.getEncodedBits(y);let I,T,R;for(let M=0;M<18;M++)I=Math.floor(M/3),T=M%3+q-8-3,R=(w>>M&1)===1,C.set(I,T,R,!0),C.set(T,I,R,!0)}function S(C,y,q){const w=C.size,I=u.getEncodedBits(y,q);let T,R;for(T=0;T<15;T++)R=(I>>T&1)===1,T<6?C.set(T,8,R,!0):T<8?C.set(T+1,8,R,!0):C.set(w-15+T,8,R,!0),T<8?C.set(8,w-T-1,R,!0):T<9?C.set(8,15-T-1+1,R,!0):C.set(8,15-T-1,R,!0);C.set(w-8,8,1,!0)}function P(C,y){const q=C.size;let w=-1,I=q-1,T=7,R=0;for(let M=q-1;M>0;M-=2)for(M===6&&M--;;){for(let E=0;E<2;E++)if(!C.isReserved(I,M-E)){let D=!1;R<y.length&&(D=(y[R]>>>T&1)===1),C.set(I,M-E,D),T--,T===-1&&(R++,T=7)}if(I+=w,I<0||q<=I){I-=w,w=-w;break}}}function d(C,y,q){const w=new i;q.forEach(function(E){w.put(E.mode.bit,4),w.put(E.getLength(),f.getCharCountIndicator(E.mode,C)),E.write(w)});const I=e.getSymbolTotalCodewords(C),T=c.getTotalCodewordsCount(C,y),R=(I-T)*8;for(w.getLengthInBits()+4<=R&&w.put(0,4);w.getLengthInBits()%8!==0;)w.putBit(0);const M=(R-w.getLengthInBits())/8;for(let E=0;E<M;E++)w.put(E%2?17:236,8);return k(w,C,y)}function k(C,y,q){const w=e.getSymbolTotalCodewords(y),I=c.getTotalCodewordsCount(y,q),T=w-I,R=c.getBlocksCount(y,q),M=w%R,E=R-M,D=Math.floor(w/R),U=Math.floor(T/R),X=U+1,Ye=D-U,zt=new l(Ye);let ae=0;const ne=new Array(R),Ge=new Array(R);let se=0;const Vt=new Uint8Array(C.buffer);for(let W=0;W<R;W++){const le=W<E?U:X;ne[W]=Vt.slice(ae,ae+le),Ge[W]=zt.encode(ne[W]),ae+=le,se=Math.max(se,le)}const ce=new Uint8Array(w);let Qe=0,K,H;for(K=0;K<se;K++)for(H=0;H<R;H++)K<ne[H].length&&(ce[Qe++]=ne[H][K]);for(K=0;K<Ye;K++)for(H=0;H<R;H++)ce[Qe++]=Ge[H][K];return ce}function A(C,y,q,w){let I;if(Array.isArray(C))I=m.fromArray(C);else if(typeof C=="string"){let D=y;if(!D){const U=m.rawSplit(C);D=h.getBestVersionForData(U,q)}I=m.fromString(C,D||40)}else throw new Error("Invalid data");const T=h.getBestVersionForData(I,q);if(!T)throw new Error("The amount of data is too big to be stored in a QR Code");if(!y)y=T;else if(y<T)throw new Error(`
The chosen QR Code version cannot contain this amount of data.
Minimum version required to store current data is: `+T+`.
`);const R=d(y,q,I),M=e.getSymbolSize(y),E=new n(M);return $(E,y),v(E),g(E,y),S(E,q,0),y>=7&&B(E,y),P(E,R),isNaN(w)&&(w=s.getBestMask(E,S.bind(null,E,q))),s.applyMask(w,E),S(E,q,w),{modules:E,version:y,errorCorrectionLevel:q,maskPattern:w,segments:I}}return pe.create=function(y,q){if(typeof y>"u"||y==="")throw new Error("No input text");let w=t.M,I,T;return typeof q<"u"&&(w=t.from(q.errorCorrectionLevel,t.M),I=h.from(q.version),T=s.from(q.maskPattern),q.toSJISFunc&&e.setToSJISFunction(q.toSJISFunc)),A(y,I,w,T)},pe}var Re={},Pe={},qt;function xt(){return qt||(qt=1,(function(e){function t(i){if(typeof i=="number"&&(i=i.toString()),typeof i!="string")throw new Error("Color should be defined as hex string");let n=i.slice().replace("#","").split("");if(n.length<3||n.length===5||n.length>8)throw new Error("Invalid hex color: "+i);(n.length===3||n.length===4)&&(n=Array.prototype.concat.apply([],n.map(function(r){return[r,r]}))),n.length===6&&n.push("F","F");const o=parseInt(n.join(""),16);return{r:o>>24&255,g:o>>16&255,b:o>>8&255,a:o&255,hex:"#"+n.slice(0,6).join("")}}e.getOptions=function(n){n||(n={}),n.color||(n.color={});const o=typeof n.margin>"u"||n.margin===null||n.margin<0?4:n.margin,r=n.width&&n.width>=21?n.width:void 0,s=n.scale||4;return{width:r,scale:r?4:s,margin:o,color:{dark:t(n.color.dark||"#000000ff"),light:t(n.color.light||"#ffffffff")},type:n.type,rendererOpts:n.rendererOpts||{}}},e.getScale=function(n,o){return o.width&&o.width>=n+o.margin*2?o.width/(n+o.margin*2):o.scale},e.getImageWidth=function(n,o){const r=e.getScale(n,o);return Math.floor((n+o.margin*2)*r)},e.qrToImageData=function(n,o,r){const s=o.modules.size,c=o.modules.data,l=e.getScale(s,r),h=Math.floor((s+r.margin*2)*l),u=r.margin*l,f=[r.color.light,r.color.dark];for(let m=0;m<h;m++)for(let $=0;$<h;$++){let v=(m*h+$)*4,g=r.color.light;if(m>=u&&$>=u&&m<h-u&&$<h-u){const B=Math.floor((m-u)/l),S=Math.floor(($-u)/l);g=f[c[B*s+S]?1:0]}n[v++]=g.r,n[v++]=g.g,n[v++]=g.b,n[v]=g.a}}})(Pe)),Pe}var _t;function zn(){return _t||(_t=1,(function(e){const t=xt();function i(o,r,s){o.clearRect(0,0,r.width,r.height),r.style||(r.style={}),r.height=s,r.width=s,r.style.height=s+"px",r.style.width=s+"px"}function n(){try{return document.createElement("canvas")}catch{throw new Error("You need to specify a canvas element")}}e.render=function(r,s,c){let l=c,h=s;typeof l>"u"&&(!s||!s.getContext)&&(l=s,s=void 0),s||(h=n()),l=t.getOptions(l);const u=t.getImageWidth(r.modules.size,l),f=h.getContext("2d"),m=f.createImageData(u,u);return t.qrToImageData(m.data,r,l),i(f,h,u),f.putImageData(m,0,0),h},e.renderToDataURL=function(r,s,c){let l=c;typeof l>"u"&&(!s||!s.getContext)&&(l=s,s=void 0),l||(l={});const h=e.render(r,s,l),u=l.type||"image/png",f=l.rendererOpts||{};return h.toDataURL(u,f.quality)}})(Re)),Re}var Ae={},Bt;function Vn(){if(Bt)return Ae;Bt=1;const e=xt();function t(o,r){const s=o.a/255,c=r+'="'+o.hex+'"';return s<1?c+" "+r+'-opacity="'+s.toFixed(2).slice(1)+'"':c}function i(o,r,s){let c=o+r;return typeof s<"u"&&(c+=" "+s),c}function n(o,r,s){let c="",l=0,h=!1,u=0;for(let f=0;f<o.length;f++){const m=Math.floor(f%r),$=Math.floor(f/r);!m&&!h&&(h=!0),o[f]?(u++,f>0&&m>0&&o[f-1]||(c+=h?i("M",m+s,.5+$+s):i("m",l,0),l=0,h=!1),m+1<r&&o[f+1]||(c+=i("h",u),u=0)):l++}return c}return Ae.render=function(r,s,c){const l=e.getOptions(s),h=r.modules.size,u=r.modules.data,f=h+l.margin*2,m=l.color.light.a?"<path "+t(l.color.light,"fill")+' d="M0 0h'+f+"v"+f+'H0z"/>':"",$="<path "+t(l.color.dark,"stroke")+' d="'+n(u,h,l.margin)+'"/>',v='viewBox="0 0 '+f+" "+f+'"',B='<svg xmlns="http://www.w3.org/2000/svg" '+(l.width?'width="'+l.width+'" height="'+l.width+'" ':"")+v+' shape-rendering="crispEdges">'+m+$+`</svg>
`;return typeof c=="function"&&c(null,B),B},Ae}var St;function Kn(){if(St)return Z;St=1;const e=qn(),t=jn(),i=zn(),n=Vn();function o(r,s,c,l,h){const u=[].slice.call(arguments,1),f=u.length,m=typeof u[f-1]=="function";if(!m&&!e())throw new Error("Callback required as last argument");if(m){if(f<2)throw new Error("Too few arguments provided");f===2?(h=c,c=s,s=l=void 0):f===3&&(s.getContext&&typeof h>"u"?(h=l,l=void 0):(h=l,l=c,c=s,s=void 0))}else{if(f<1)throw new Error("Too few arguments provided");return f===1?(c=s,s=l=void 0):f===2&&!s.getContext&&(l=c,c=s,s=void 0),new Promise(function($,v){try{const g=t.create(c,l);$(r(g,s,l))}catch(g){v(g)}})}try{const $=t.create(c,l);h(null,r($,s,l))}catch($){h($)}}return Z.create=t.create,Z.toCanvas=o.bind(null,i.render),Z.toDataURL=o.bind(null,i.renderToDataURL),Z.toString=o.bind(null,function(r,s,c){return n.render(r,c)}),Z}var Hn=Kn();const Jn=Xt(Hn);function Ot({text:e,label:t}){const[i,n]=b("");return j(()=>{Jn.toString(e,{type:"svg",errorCorrectionLevel:"M",margin:2}).then(o=>n("data:image/svg+xml;charset=utf-8,"+encodeURIComponent(o)),()=>n(""))},[e]),i?p`<img class="qr" src=${i} alt=${t} width="260" height="260" data-testid="qr" />`:null}const Yn=[15,60,1440,10080];function Gn(){const e=O(),[t,i]=b(e.equivalents[0]?.code||""),[n,o]=b(""),[r,s]=b(""),[c,l]=b(60),[h,u]=b({}),[f,m]=b(null),[$,v]=b(""),[g,B]=b(!1),S=d=>{d.preventDefault(),v(""),m(null);const k={};try{ie(n,Y(t)),/^0*(\.0*)?$/.test(n)&&(k.amount=a("pay.positive"))}catch(A){k.amount=L(A)}if(u(k),!Object.keys(k).length){if(typeof Ze!="function")return v(a("invoice.unsupported"));try{const A=new Date(Date.now()+c*6e4).toISOString().replace(/\.\d+Z$/,"Z"),C=Ze(e.identity,{hub:e.client.hubPid,equivalent:t,amount:n,...r?{description:r}:{},expires_at:A});m(C)}catch(A){v(L(A))}}},P=async()=>{try{await navigator.clipboard.writeText(f.uri),B(!0)}catch{B(!1)}};return p`<section data-testid="request">
    <h1>${a("nav.request")}</h1>
    <form class="card" onSubmit=${S} novalidate>
      <p class="note">${a("request.explain")}</p>
      <${N} id="req-eq" label=${a("equivalent")}>
        <select id="req-eq" value=${t} onChange=${d=>i(d.currentTarget.value)}>
          ${e.equivalents.map(d=>p`<option value=${d.code}>${d.code}</option>`)}
        </select>
      <//>
      <${N} id="req-amount" label=${a("amount")} hint=${a("amount.hint",{n:Y(t)})} error=${h.amount}>
        <input id="req-amount" inputmode="decimal" autocomplete="off" value=${n} onInput=${d=>o(d.currentTarget.value.trim())} aria-describedby="req-amount-hint" />
      <//>
      <${N} id="req-desc" label=${a("pay.description")}>
        <input id="req-desc" maxlength="200" value=${r} onInput=${d=>s(d.currentTarget.value)} />
      <//>
      <${N} id="req-expiry" label=${a("request.expiry")}>
        <select id="req-expiry" value=${c} onChange=${d=>l(Number(d.currentTarget.value))}>
          ${Yn.map(d=>p`<option value=${d}>${a("request.minutes_"+d)}</option>`)}
        </select>
      <//>
      <button type="submit">${a("request.make")}</button>
    </form>
    <${x} kind="error">${$}<//>
    ${f&&p`<article class="card request-made" data-testid="request-made">
      <h2>${a("request.show")}</h2>
      <p class="big">${f.invoice.amount} ${f.invoice.equivalent}</p>
      <${Ot} text=${f.uri} label=${a("request.qr_label",{amount:f.invoice.amount,equivalent:f.invoice.equivalent})} />
      <${N} id="req-link" label=${a("request.link")}>
        <textarea id="req-link" readonly rows="3" data-testid="request-link" value=${f.uri}></textarea>
      <//>
      <button type="button" class="secondary" onClick=${P}>${g?a("request.copied"):a("request.copy")}</button>
    </article>`}
  </section>`}const Qn=20;function Wn(){const e=O(),[t,i]=b(""),[n,o]=b(""),[r,s]=b(""),[c,l]=b([]),[h,u]=b(null),[f,m]=b(""),$=()=>({limit:Qn,...t?{direction:t}:{},...n?{equivalent:n}:{},...r?{status:r}:{}}),v=async g=>{try{const B=await e.client.historyPage($(),g||void 0);l(g?[...c,...B.items]:B.items),u(B.next_cursor||null),m("")}catch(B){m(L(B))}};return j(()=>{v(null)},[t,n,r,e.refresh]),p`<section data-testid="history">
    <h1>${a("nav.history")}</h1>
    <div class="card filters">
      <${N} id="h-dir" label=${a("history.direction")}>
        <select id="h-dir" value=${t} onChange=${g=>i(g.currentTarget.value)}>
          <option value="">${a("history.all")}</option>
          <option value="sent">${a("history.sent")}</option>
          <option value="received">${a("history.received")}</option>
        </select>
      <//>
      <${N} id="h-eq" label=${a("equivalent")}>
        <select id="h-eq" value=${n} onChange=${g=>o(g.currentTarget.value)}>
          <option value="">${a("history.all")}</option>
          ${e.equivalents.map(g=>p`<option value=${g.code}>${g.code}</option>`)}
        </select>
      <//>
      <${N} id="h-status" label=${a("history.status")}>
        <select id="h-status" value=${r} onChange=${g=>s(g.currentTarget.value)}>
          <option value="">${a("history.all")}</option>
          <option value="committed">${a("status.committed")}</option>
          <option value="aborted">${a("status.aborted")}</option>
          <option value="prepared">${a("status.prepared")}</option>
        </select>
      <//>
    </div>
    <${x} kind="error">${f}<//>
    ${c.length===0&&!f&&p`<p class="card">${a("history.none")}</p>`}
    <ul class="history">
      ${c.map(g=>{const B=g.payer===e.me.pid;return p`<li key=${g.tx_id} class="card payment ${B?"sent":"received"}" data-testid="payment">
          <div class="amount ${B?"negative":""}">${B?"−":"+"}${g.amount} ${g.equivalent}</div>
          <div>${B?a("history.to"):a("history.from")} <${F} pid=${B?g.payee:g.payer} /></div>
          ${g.description&&p`<div class="desc">${g.description}</div>`}
          <small>${a("status."+g.status)} · <time datetime=${g.created_at}>${new Date(g.created_at).toLocaleString()}</time></small>
        </li>`})}
    </ul>
    ${h&&p`<button class="secondary" onClick=${()=>v(h)}>${a("history.more")}</button>`}
  </section>`}function Tt({edges:e}){return p`<ul class="edges">
    ${e.map((t,i)=>p`<li key=${i}><${F} pid=${t.debtor} /> → <${F} pid=${t.creditor} />: <strong>${t.amount}</strong></li>`)}
  </ul>`}function Zn(){const e=O(),[t,i]=b([]),[n,o]=b([]),[r,s]=b(null),c=async()=>{const[u,f]=await Promise.all([e.client.clearingProposals(),e.client.clearings()]);i(u),o(f)};j(()=>{c().catch(u=>s({kind:"error",text:L(u)}))},[e.refresh]);const l=async(u,f)=>{s(null);try{const m=await e.client.consent(u,f);s({kind:"ok",text:a(f==="accept"?"clearing.accepted":"clearing.rejected",{status:m.status})}),await c(),z()}catch(m){s({kind:"error",text:L(m)})}},h=u=>u.consent_required_from.includes(e.me.pid)&&!u.accepted_by.includes(e.me.pid);return p`<section data-testid="clearing">
    <h1>${a("nav.clearing")}</h1>
    <p class="note">${a("clearing.explain")}</p>
    <${x} kind=${r?.kind} testid="clearing-message">${r?.text}<//>
    <h2>${a("clearing.proposals")}</h2>
    ${t.length===0&&p`<p class="card">${a("clearing.no_proposals")}</p>`}
    ${t.map(u=>{const m=(typeof u.proposal=="string"?JSON.parse(u.proposal):u.proposal).payload.edges;return p`<article class="card proposal" key=${u.clearing_id} data-testid="proposal">
        <h3>${a("clearing.proposal",{equivalent:u.equivalent})}</h3>
        <${Tt} edges=${m} />
        <small>${a("clearing.expires",{at:new Date(u.expires_at).toLocaleString()})}</small>
        ${h(u)?p`<div class="actions">
              <button onClick=${()=>l(u,"accept")}>${a("clearing.accept")}</button>
              <button class="danger" onClick=${()=>l(u,"reject")}>${a("clearing.reject")}</button>
            </div>`:p`<p>${a("clearing.waiting")}</p>`}
      </article>`})}
    <h2>${a("clearing.done")}</h2>
    ${n.length===0&&p`<p class="card">${a("clearing.none_done")}</p>`}
    ${n.map(u=>p`<article class="card" key=${u.clearing_id} data-testid="cleared">
      <h3>${a("clearing.cleared_at",{equivalent:u.equivalent,at:new Date(u.at).toLocaleString()})}</h3>
      <${Tt} edges=${u.edges.filter(f=>f.debtor===e.me.pid||f.creditor===e.me.pid)} />
    </article>`)}
  </section>`}const Ne=[26,20,15,12],xe=2*Math.PI;function Xn(e,t){let i=0,n=0;for(const o of e)i+=Math.cos(o),n+=Math.sin(o);return Math.hypot(i,n)<1e-9?t:Math.atan2(n,i)}function er(e,t){const i=e.length;if(!(i<2))for(let n=0;n<200;n++){let o=!1;for(let r=0;r<i;r++){const s=e[r],c=e[(r+1)%i],l=r+1<i?c.angle-s.angle:c.angle+xe-s.angle,h=t-l;h>1e-6&&(s.angle-=h/2,c.angle+=h/2,o=!0)}if(!o)return}}function tr(e,t,i){const n=i/2,o=Math.max(1,...e.map(u=>u.hops)),r=Ne[Math.min(o,3)]+14,s=u=>(n-r)*u/o,c=new Map(e.map(u=>[u.pid,[]]));for(const u of t)c.get(u.creditor)?.push(u.debtor),c.get(u.debtor)?.push(u.creditor);const l=new Map,h=e.find(u=>u.hops===0)?.pid;for(let u=0;u<=o;u++){const f=e.filter(v=>v.hops===u);if(u===0){f.forEach(v=>l.set(v.pid,{x:n,y:n,r:Ne[0],angle:0}));continue}const m=f.map((v,g)=>{const B=c.get(v.pid).filter(S=>l.has(S)&&S!==h).map(S=>l.get(S).angle);return{m:v,angle:Xn(B,-Math.PI/2+xe*g/f.length)}}).sort((v,g)=>v.angle-g.angle||(v.m.pid<g.m.pid?-1:1)),$=Ne[Math.min(u,3)];er(m,Math.min(xe/m.length,(2*$+16)/s(u)));for(const v of m)l.set(v.m.pid,{x:n+s(u)*Math.cos(v.angle),y:n+s(u)*Math.sin(v.angle),r:$,angle:v.angle})}return l}function nr(e,t){const i=Math.hypot(t.x-e.x,t.y-e.y)||1,n=(t.x-e.x)/i,o=(t.y-e.y)/i;return{x1:e.x+n*e.r,y1:e.y+o*e.r,x2:t.x-n*(t.r+2),y2:t.y-o*(t.r+2)}}function rr(e,t){const i=new Map(e.map(o=>[o.pid,o.hops])),n=new Map;for(const o of t)for(const[r,s]of[[o.creditor,o.debtor],[o.debtor,o.creditor]])i.get(r)>=2&&i.get(s)===i.get(r)-1&&!n.has(r)&&n.set(r,s);return n}const De=340,or=["plain","owe","owed","debt"];function ir(e,t){return e.in_debt?e.debtor===t?"owe":e.creditor===t?"owed":"debt":"plain"}function ar(){const e=O(),[t,i]=b(e.equivalents[0]?.code||""),[n,o]=b(2),[r,s]=b([]),[c,l]=b(null),[h,u]=b("");j(()=>{t&&(u(""),e.client.debts(t).then(s,d=>u(L(d))),e.client.network(t,n).then(l,d=>u(L(d))))},[t,n,e.refresh]);const f=e.me?.pid,m=c?c.members:[],$=c?c.lines:[],v=tr(m,$,De),g=rr(m,$),B=new Map(m.map(d=>[d.pid,d.display_name||d.pid.slice(0,6)])),S=m.filter(d=>d.hops===1).length,P=m.filter(d=>d.hops>1);return p`<section data-testid="network">
    <h1>${a("nav.network")}</h1>
    <div class="card">
      <div class="row">
        <${N} id="net-eq" label=${a("equivalent")}>
          <select id="net-eq" value=${t} onChange=${d=>i(d.currentTarget.value)}>
            ${e.equivalents.map(d=>p`<option value=${d.code}>${d.code}</option>`)}
          </select>
        <//>
        <${N} id="net-depth" label=${a("network.depth")}>
          <select id="net-depth" value=${n} onChange=${d=>o(Number(d.currentTarget.value))}>
            ${[1,2,3].map(d=>p`<option value=${d}>${a("network.hops",{n:d})}</option>`)}
          </select>
        <//>
      </div>
      <${x} kind="error">${h}<//>
      <svg class="network" viewBox=${`0 0 ${De} ${De}`} role="img" data-testid="network-picture"
        aria-label=${a("network.picture",{n:S,m:P.length})}>
        <defs>
          ${or.map(d=>p`<marker id=${"arrow-"+d} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="5" markerHeight="5" orient="auto-start-reverse">
            <path d="M0,0 L10,5 L0,10 z" class=${"head "+d} />
          </marker>`)}
        </defs>
        ${$.map(d=>{const k=v.get(d.creditor),A=v.get(d.debtor);if(!k||!A)return null;const C=ir(d,f);return p`<line key=${d.creditor+d.debtor} ...${nr(k,A)} class=${"edge "+C} marker-end=${`url(#arrow-${C})`} />`})}
        ${m.map(d=>{const k=v.get(d.pid),A=d.hops===0?a("you"):B.get(d.pid).slice(0,8),C=d.hops>1;return p`<g key=${d.pid} data-testid="network-member" data-hops=${d.hops}>
            <circle cx=${k.x} cy=${k.y} r=${k.r} class=${d.hops===0?"me":"member hop"+d.hops} />
            <text x=${k.x} y=${C?k.y+k.r+10:k.y+4} text-anchor="middle"
              class=${d.hops===0?"me-label":C?"member-label far":"member-label"}>${A}</text>
          </g>`})}
      </svg>
      <p class="legend">
        <span class="key plain"></span> ${a("network.trusts")}
        <span class="key owe"></span> ${a("network.i_owe")}
        <span class="key owed"></span> ${a("network.owes_me")}
        <span class="key debt"></span> ${a("network.debt_private")}
      </p>
      ${c&&c.truncated&&p`<${x}>${a("network.truncated",{n:m.length})}<//>`}
    </div>
    <h2>${a("network.mine")}</h2>
    <ul class="card people">
      ${r.length===0&&p`<li>${a("network.alone")}</li>`}
      ${r.map(d=>p`<li key=${d.pid} data-testid="neighbour">
        <${F} pid=${d.pid} />
        <div>${a("network.row",{i_owe:d.i_owe,owes_me:d.owes_me,given:d.limit_given,received:d.limit_received,equivalent:t})}</div>
      </li>`)}
    </ul>
    ${P.length>0&&p`<h2>${a("network.farther")}</h2>
      <ul class="card people">
        ${P.map(d=>p`<li key=${d.pid} data-testid="distant">
          <${F} pid=${d.pid} />
          <div>${a("network.via",{n:d.hops,name:B.get(g.get(d.pid))||"?"})}</div>
        </li>`)}
      </ul>`}
  </section>`}function jt({event:e}){const t=e.data||{};switch(e.kind){case"payment_received":return p`<span>${a("event.received",{amount:t.amount,equivalent:t.equivalent})} <${F} pid=${t.payer} /></span>`;case"payment_sent":return p`<span>${a("event.sent",{amount:t.amount,equivalent:t.equivalent})} <${F} pid=${t.payee} /></span>`;case"payment_relayed":return p`<span>${a("event.relayed",{amount:t.amount,equivalent:t.equivalent})}</span>`;case"payment_aborted":return p`<span>${a("event.aborted",{amount:t.amount,equivalent:t.equivalent})}</span>`;case"trust_line_changed":return t.status==="closed"?p`<span>${a("event.line_closed",{equivalent:t.equivalent})} <${F} pid=${t.creditor===_.me?.pid?t.debtor:t.creditor} /></span>`:p`<span>${a("event.line_set",{limit:t.limit,equivalent:t.equivalent})} <${F} pid=${t.creditor} /> → <${F} pid=${t.debtor} /></span>`;case"clearing_proposed":return p`<span>${a("event.clearing_proposed",{equivalent:t.equivalent})}</span>`;case"clearing_committed":return p`<span>${a("event.clearing_committed",{equivalent:t.equivalent})}</span>`;case"participant_status_changed":return p`<span>${a("event.status",{status:t.status})}</span>`;default:return p`<span>${e.kind}</span>`}}function sr(){const e=O();return j(()=>{e.unread&&(e.unread=0,z())},[e.notifications.length]),p`<section data-testid="notifications">
    <h1>${a("nav.notifications")}</h1>
    ${e.notifications.length===0&&p`<p class="card">${a("notifications.none")}</p>`}
    <ul class="notifications">
      ${e.notifications.map(t=>p`<li key=${t.id} class="card" data-kind=${t.kind}><${jt} event=${t} /></li>`)}
    </ul>
  </section>`}function cr(){const e=O(),t=()=>{const i=new Blob([e.record.keyFile],{type:"application/json"}),n=document.createElement("a");n.href=URL.createObjectURL(i),n.download=`geo-key-${e.me.pid.slice(0,8)}.json`,n.click(),setTimeout(()=>URL.revokeObjectURL(n.href),1e3)};return p`<section data-testid="settings">
    <h1>${a("nav.settings")}</h1>
    <div class="card">
      <h2>${a("settings.me")}</h2>
      <p><strong>${e.me.display_name}</strong></p>
      <p><code class="pid" data-testid="my-pid">${e.me.pid}</code></p>
      <${Ot} text=${e.me.pid} label=${a("settings.pid_qr")} />
    </div>
    <div class="card">
      <h2>${a("settings.key")}</h2>
      <p class="note">${a("welcome.secret")}</p>
      <button class="secondary" onClick=${t}>${a("settings.export")}</button>
    </div>
    <div class="card">
      <h2>${a("language")}</h2>
      <${It} />
    </div>
    <div class="card actions">
      <button class="secondary" onClick=${Pt}>${a("settings.lock")}</button>
      <button class="danger" onClick=${()=>confirm(a("unlock.forget_confirm"))&&At()}>${a("unlock.forget")}</button>
    </div>
  </section>`}const Oe=[["/","nav.home",mn],["/pay","nav.pay",En],["/request","nav.request",Gn],["/trust","nav.trust",yn],["/history","nav.history",Wn],["/clearing","nav.clearing",Zn],["/network","nav.network",ar],["/notifications","nav.notifications",sr],["/settings","nav.settings",cr]];function lr(){const[e,t]=b("welcome"),i=()=>t("welcome");return e==="create"?p`<${fn} back=${i} />`:e==="restore"?p`<${pn} back=${i} />`:p`<${un} go=${t} />`}function ur(){const e=O();return e.toast?p`<div class="toast" role="status" data-testid="toast">
    <${jt} event=${e.toast} />
    <button class="link" aria-label=${a("close")} onClick=${()=>{e.toast=null,z()}}>×</button>
  </div>`:null}function dr(){const e=O(),t=e.path.split("?")[0];return p`<nav aria-label=${a("nav.label")}>
    <ul>
      ${Oe.map(([i,n])=>p`<li key=${i}>
        <a href=${i} aria-current=${t===i?"page":void 0}
          onClick=${o=>{o.preventDefault(),te(i)}}>
          ${a(n)}${i==="/notifications"&&e.unread?p` <span class="badge" aria-label=${a("notifications.unread",{n:e.unread})}>${e.unread}</span>`:""}
        </a>
      </li>`)}
    </ul>
  </nav>`}function fr(){Wt();const e=O();let t;if(e.stage==="loading")t=p`<p>${a("working")}</p>`;else if(e.stage==="welcome")t=p`<${lr} />`;else if(e.stage==="locked")t=p`<${hn} />`;else if(e.stage==="register")t=p`<${gn} />`;else{const n=e.path.split("?")[0],o=Oe.find(([r])=>r===n)||Oe[0];t=p`<${o[2]} key=${o[0]} />`}const i=e.stage==="ready";return p`<div class="app ${i?"with-nav":""}">
    <a class="skip" href="#main">${a("skip")}</a>
    <header>
      <span class="brand" aria-hidden="true">GEO</span>
      <span class="title">${a("app.wallet")}</span>
      <${It} />
    </header>
    <${Zt} />
    ${i&&p`<${dr} />`}
    <main id="main" tabindex="-1">${t}</main>
    ${i&&p`<${ur} />`}
  </div>`}Gt(p`<${fr} />`,document.getElementById("app"));Qt();on().then(()=>pr());function pr(){performance.mark("interactive"),document.body.setAttribute("data-ready","1")}
