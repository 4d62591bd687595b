import{d as v,h as V,I as ie,H as zt,t as s,m as f,F as N,M as O,e as L,T as fe,s as ze,p as Vt,a as ae,b as Kt,L as Bt,R as Ht,r as xt,u as Jt,O as Yt}from"./index-D7ddJ7jD.js";const Gt="geo-wallet",De="keys",Ve="main";function Qt(){return new Promise((e,t)=>{const i=indexedDB.open(Gt,1);i.onupgradeneeded=()=>i.result.createObjectStore(De),i.onsuccess=()=>e(i.result),i.onerror=()=>t(i.error)})}async function Ke(e,t){const i=await Qt();try{return await new Promise((n,o)=>{const r=i.transaction(De,e),a=t(r.objectStore(De));r.oncomplete=()=>n(a&&a.result),r.onerror=()=>o(r.error)})}finally{i.close()}}function Wt(){return Ke("readonly",e=>e.get(Ve))}function He(e){return Ke("readwrite",t=>t.put(e,Ve))}function Zt(){return Ke("readwrite",e=>e.delete(Ve))}const Ue=new EventTarget,C={stage:"loading",record:null,identity:null,client:null,me:null,equivalents:[],notifications:[],unread:0,toast:null,path:location.pathname+location.search,names:new Map};function K(){Ue.dispatchEvent(new Event("change"))}function j(){const[,e]=v(0);return V(()=>{const t=()=>e(i=>i+1);return Ue.addEventListener("change",t),()=>Ue.removeEventListener("change",t)},[]),C}function ne(e){e!==C.path&&history.pushState(null,"",e),C.path=e,K()}addEventListener("popstate",()=>{C.path=location.pathname+location.search,K()});async function Xt(){C.record=await Wt(),C.stage=C.record?"locked":"welcome",K()}async function en(e){const t=ie.fromKeyFile(C.record.keyFile,e);await Tt(t,C.record.registered)}async function Fe(e,t,i){const n=e.toKeyFile(t);C.record={keyFile:n,pid:e.pid,registered:i},await He(C.record),await Tt(e,i)}async function Tt(e,t){if(C.identity=e,C.client=await zt.connect(location.origin,e),!t)try{C.me=await C.client.login(),t=!0,C.record={...C.record,registered:!0},await He(C.record)}catch{t=!1}t?await St():(C.stage="register",K())}async function tn(e){C.me=await C.client.register(e,"person"),C.record={...C.record,registered:!0,name:e},await He(C.record),await St()}async function St(){const e=C.client;C.me=C.me||await e.profile(),C.equivalents=await e.equivalents(),C.names.set(C.me.pid,C.me.display_name),C.stage="ready",K(),nn(e)}async function nn(e){const t="geo.events."+e.pid,i=Number(localStorage.getItem(t)||0);try{for await(const n of e.events(i)){if(e!==C.client)break;localStorage.setItem(t,String(n.id)),C.notifications=[n,...C.notifications].slice(0,100),C.unread+=1,C.toast=n,C.refresh=(C.refresh||0)+1,K()}}catch(n){console.warn("event stream ended",n)}}function It(){C.identity=null,C.client=null,C.me=null,C.notifications=[],C.unread=0,C.stage=C.record?"locked":"welcome",ne("/")}async function Pt(){await Zt(),C.record=null,It()}async function rn(e){if(C.names.has(e))return C.names.get(e);try{const t=await C.client.participant(e);return C.names.set(e,t.display_name),t.display_name}catch{return C.names.set(e,null),null}}function G(e){const t=C.equivalents.find(i=>i.code===e);return t?t.precision:0}function on({go:e}){return f`<section class="card welcome" data-testid="welcome">
    <h1>${s("welcome.title")}</h1>
    <p>${s("welcome.what")}</p>
    <p class="note">${s("welcome.secret")}</p>
    <div class="actions column">
      <button onClick=${()=>e("create")}>${s("welcome.create")}</button>
      <button class="secondary" onClick=${()=>e("restore")}>${s("welcome.restore")}</button>
    </div>
  </section>`}const pe=8;function Rt({onDone:e,busyText:t}){const[i,n]=v(""),[o,r]=v(""),[a,c]=v(""),[l,p]=v(!1);async function d(u){if(u.preventDefault(),i.length<pe)return c(s("passphrase.too_short",{n:pe}));if(i!==o)return c(s("passphrase.mismatch"));c(""),p(!0);try{await e(i)}catch(g){c(L(g)),p(!1)}}return f`<form onSubmit=${d} class="card" data-testid="passphrase">
    <h2>${s("passphrase.title")}</h2>
    <p>${s("passphrase.why")}</p>
    <${N} id="pass1" label=${s("passphrase.label")} hint=${s("passphrase.hint",{n:pe})}>
      <input id="pass1" type="password" autocomplete="new-password" value=${i} onInput=${u=>n(u.currentTarget.value)} aria-describedby="pass1-hint" />
    <//>
    <${N} id="pass2" label=${s("passphrase.again")}>
      <input id="pass2" type="password" autocomplete="new-password" value=${o} onInput=${u=>r(u.currentTarget.value)} />
    <//>
    <${O} kind="error">${a}<//>
    <button type="submit" disabled=${l}>${l?t||s("working"):s("passphrase.save")}</button>
  </form>`}function sn(e){const t=new Set,i=new Uint32Array(8);for(;t.size<3;){crypto.getRandomValues(i);for(const n of i)t.size<3&&t.add(n%e)}return[...t].sort((n,o)=>n-o)}function an({back:e}){const t=fe(()=>ie.generate(),[]),i=fe(()=>t.mnemonic().split(" "),[t]),n=fe(()=>sn(i.length),[i]),[o,r]=v("words"),[a,c]=v(["","",""]),[l,p]=v("");return o==="words"?f`<section class="card" data-testid="backup-words">
      <h2>${s("create.words_title")}</h2>
      <p>${s("create.words_why")}</p>
      <ol class="words" aria-label=${s("create.words_title")}>
        ${i.map((d,u)=>f`<li key=${u}><span class="n">${u+1}</span> <span class="w">${d}</span></li>`)}
      </ol>
      <p class="note">${s("welcome.secret")}</p>
      <div class="actions">
        <button class="secondary" onClick=${e}>${s("back")}</button>
        <button onClick=${()=>r("confirm")}>${s("create.written")}</button>
      </div>
    </section>`:o==="confirm"?f`<form class="card" onSubmit=${u=>{if(u.preventDefault(),!n.every((m,q)=>a[q].trim().toLowerCase()===i[m]))return p(s("create.confirm_wrong"));p(""),r("passphrase")}} data-testid="confirm-words">
      <h2>${s("create.confirm_title")}</h2>
      <p>${s("create.confirm_why")}</p>
      ${n.map((u,g)=>f`<${N} key=${u} id=${"word"+g} label=${s("create.word_n",{n:u+1})}>
        <input id=${"word"+g} data-position=${u+1} autocomplete="off" autocapitalize="none" spellcheck=${!1}
          value=${a[g]} onInput=${m=>c(a.map((q,h)=>h===g?m.currentTarget.value:q))} />
      <//>`)}
      <${O} kind="error">${l}<//>
      <div class="actions">
        <button type="button" class="secondary" onClick=${()=>r("words")}>${s("create.show_again")}</button>
        <button type="submit">${s("create.confirm")}</button>
      </div>
    </form>`:f`<${Rt} onDone=${d=>Fe(t,d,!1)} />`}function cn({back:e}){const[t,i]=v(""),[n,o]=v(null),[r,a]=v(""),[c,l]=v(null),[p,d]=v(""),[u,g]=v(!1);if(c)return f`<${Rt} onDone=${h=>Fe(c,h,!1)} />`;const m=h=>{h.preventDefault();try{l(ie.fromMnemonic(t.trim().toLowerCase().split(/\s+/).join(" ")))}catch{d(s("restore.bad_phrase"))}},q=async h=>{if(h.preventDefault(),!n)return d(s("restore.pick_file"));g(!0);try{const B=await n.text(),I=ie.fromKeyFile(B,r);await Fe(I,r,!1)}catch(B){d(L(B)),g(!1)}};return f`<section class="card" data-testid="restore">
    <h2>${s("restore.title")}</h2>
    <form onSubmit=${m}>
      <${N} id="phrase" label=${s("restore.phrase")} hint=${s("restore.phrase_hint")}>
        <textarea id="phrase" rows="4" autocomplete="off" autocapitalize="none" spellcheck=${!1}
          value=${t} onInput=${h=>i(h.currentTarget.value)}></textarea>
      <//>
      <button type="submit">${s("restore.from_phrase")}</button>
    </form>
    <hr />
    <form onSubmit=${q}>
      <${N} id="keyfile" label=${s("restore.file")}>
        <input id="keyfile" type="file" accept=".json,application/json" onChange=${h=>o(h.currentTarget.files[0])} />
      <//>
      <${N} id="filepass" label=${s("restore.file_pass")}>
        <input id="filepass" type="password" autocomplete="current-password" value=${r} onInput=${h=>a(h.currentTarget.value)} />
      <//>
      <button type="submit" disabled=${u}>${u?s("working"):s("restore.from_file")}</button>
    </form>
    <${O} kind="error">${p}<//>
    <button class="link" onClick=${e}>${s("back")}</button>
  </section>`}function ln(){const[e,t]=v(""),[i,n]=v(""),[o,r]=v(!1),a=async l=>{l.preventDefault(),r(!0),n("");try{await en(e)}catch(p){n(L(p)),r(!1)}},c=()=>{confirm(s("unlock.forget_confirm"))&&Pt()};return f`<form class="card" onSubmit=${a} data-testid="unlock">
    <h2>${s("unlock.title")}</h2>
    <p>${s("unlock.who",{pid:ze(C.record.pid)})}</p>
    <${N} id="unlock-pass" label=${s("passphrase.label")}>
      <input id="unlock-pass" type="password" autocomplete="current-password" value=${e} onInput=${l=>t(l.currentTarget.value)} />
    <//>
    <${O} kind="error">${i}<//>
    <button type="submit" disabled=${o}>${o?s("working"):s("unlock.open")}</button>
    <button type="button" class="link" onClick=${c}>${s("unlock.forget")}</button>
  </form>`}function un(){const[e,t]=v(""),[i,n]=v(""),[o,r]=v(!1);return f`<form class="card" onSubmit=${async c=>{if(c.preventDefault(),!e.trim())return n(s("register.name_needed"));r(!0),n("");try{await tn(e.trim())}catch(l){n(L(l)),r(!1)}}} data-testid="register">
    <h2>${s("register.title")}</h2>
    <p>${s("register.why")}</p>
    <p><code class="pid">${C.identity.pid}</code></p>
    <${N} id="display-name" label=${s("register.name")}>
      <input id="display-name" autocomplete="name" maxlength="64" value=${e} onInput=${c=>t(c.currentTarget.value)} />
    <//>
    <${O} kind="error">${i}<//>
    <button type="submit" disabled=${o}>${o?s("working"):s("register.join")}</button>
  </form>`}function dn(){const e=j(),[t,i]=v(null),[n,o]=v("");return V(()=>{e.client.balance().then(i,r=>o(L(r)))},[e.refresh]),f`<section data-testid="dashboard">
    <h1>${s("dashboard.hello",{name:e.me.display_name})}</h1>
    <${O} kind="error">${n}<//>
    ${t&&t.length===0&&f`<div class="card"><p>${s("dashboard.empty")}</p>
      <button onClick=${()=>ne("/trust")}>${s("nav.trust")}</button></div>`}
    <div class="grid">
      ${(t||[]).map(r=>f`<article class="card balance" key=${r.equivalent} data-equivalent=${r.equivalent}>
        <h2>${r.equivalent}</h2>
        <p class="net ${r.net.startsWith("-")?"negative":""}"><span>${s("dashboard.net")}</span> <strong data-testid="net">${r.net}</strong></p>
        <dl>
          <dt>${s("dashboard.owe")}</dt><dd data-testid="debt">${r.debt}</dd>
          <dt>${s("dashboard.owed")}</dt><dd data-testid="credit">${r.credit}</dd>
          <dt>${s("dashboard.trust_given")}</dt><dd>${r.trust_given}</dd>
          <dt>${s("dashboard.trust_received")}</dt><dd>${r.trust_received}</dd>
          <dt>${s("dashboard.can_pay")}</dt><dd data-testid="can-pay">${r.available_to_spend}</dd>
          <dt>${s("dashboard.can_receive")}</dt><dd>${r.available_to_receive}</dd>
        </dl>
      </article>`)}
    </div>
    <div class="actions">
      <button onClick=${()=>ne("/pay")}>${s("nav.pay")}</button>
      <button class="secondary" onClick=${()=>ne("/request")}>${s("nav.request")}</button>
    </div>
  </section>`}function At({id:e,label:t,value:i,onChange:n,error:o}){const[r,a]=v([]),[c,l]=v(!1),p=async()=>{const u=i.trim();if(u){l(!0);try{const g=await C.client.searchParticipants(u,10);a(g.filter(m=>m.pid!==C.me.pid))}catch{a([])}l(!1)}},d=u=>{u.key==="Enter"&&!xe(i)&&(u.preventDefault(),p())};return f`<div class="picker">
    <${N} id=${e} label=${t} hint=${s("picker.hint")} error=${o}>
      <div class="row">
        <input id=${e} autocomplete="off" autocapitalize="none" spellcheck=${!1} value=${i}
          onInput=${u=>n(u.currentTarget.value.trim())} onKeyDown=${d}
          aria-describedby=${e+"-hint"} />
        <button type="button" class="secondary" onClick=${p} disabled=${c}>${s("picker.search")}</button>
      </div>
    <//>
    ${r.length>0&&f`<ul class="results" aria-label=${s("picker.results")}>
      ${r.map(u=>f`<li key=${u.pid}><button type="button" class="link" onClick=${()=>{n(u.pid),C.names.set(u.pid,u.display_name),a([])}}>
        ${u.display_name} <code>${ze(u.pid)}</code></button></li>`)}
    </ul>`}
  </div>`}function xe(e){try{return Vt(e),!0}catch{return!1}}function F({pid:e}){const[t,i]=v(C.names.get(e));V(()=>{let o=!0;return rn(e).then(r=>o&&i(r)),()=>o=!1},[e]);const n=C.me&&C.me.pid===e;return f`<span class="name" title=${e}>${n?s("you"):t||s("unknown_member")} <code>${ze(e)}</code></span>`}function se(e,t){try{const i=String(e).startsWith("-"),n=BigInt(ae(i?e.slice(1):e,t));return i?-n:n}catch{return 0n}}function fn(e,t,i){const n=se(t,i);if(n<=0n)return 0;const r=se(e,i)*100n/n;return Number(r>100n?100n:r<0n?0n:r)}function We({line:e,given:t,onEdit:i,onClose:n}){const o=t?e.debtor:e.creditor,r=fn(e.used,e.limit,G(e.equivalent));return f`<li class="line" data-testid=${t?"line-given":"line-received"}>
    <div><${F} pid=${o} /> <span class="eq">${e.equivalent}</span></div>
    <div class="usage">
      <meter min="0" max="100" value=${r} aria-label=${s("trust.used_of",{used:e.used,limit:e.limit})}></meter>
      <span>${s("trust.used_of",{used:e.used,limit:e.limit})}</span>
    </div>
    ${!e.policy.auto_clearing&&f`<small>${s("trust.no_auto")}</small>`}
    ${t&&f`<div class="actions">
      <button class="secondary" onClick=${()=>i(e)}>${s("trust.change")}</button>
      <button class="danger" onClick=${()=>n(e)}>${s("trust.close")}</button>
    </div>`}
  </li>`}function pn(){const e=j(),[t,i]=v([]),[n,o]=v([]),[r,a]=v(""),[c,l]=v(e.equivalents[0]?.code||""),[p,d]=v(""),[u,g]=v(!0),[m,q]=v({}),[h,B]=v(null),[I,A]=v(!1),b=async()=>{const $=e.client,[k,y]=await Promise.all([$.trustLines({direction:"outgoing"}),$.trustLines({direction:"incoming"})]);i(k.filter(P=>P.status==="active")),o(y.filter(P=>P.status==="active"))};V(()=>{b().catch($=>B({kind:"error",text:L($)}))},[e.refresh]);const _=async $=>{$.preventDefault();const k={};xe(r)?r===e.me.pid&&(k.member=s("trust.not_self")):k.member=s("pay.bad_pid");try{ae(p,G(c))}catch(y){k.limit=L(y)}if(q(k),!Object.keys(k).length){A(!0),B(null);try{const y=await e.client.participant(r).catch(T=>{throw T.code==="E_NOT_FOUND"?Object.assign(new Error(s("pay.unknown_member")),{field:"member"}):T});e.names.set(y.pid,y.display_name);const P=u?void 0:{auto_clearing:!1,can_be_intermediate:!0,blocked_participants:[]};await e.client.setTrustLine(r,c,p,P),B({kind:"ok",text:s("trust.saved",{name:y.display_name,limit:p,equivalent:c})}),a(""),d(""),await b()}catch(y){y.field?q({[y.field]:y.message}):B({kind:"error",text:L(y)})}A(!1)}},M=$=>{a($.debtor),l($.equivalent),d($.limit),g($.policy.auto_clearing),document.getElementById("trust-member")?.focus()},E=async $=>{B(null);try{await e.client.closeTrustLine($.debtor,$.equivalent),B({kind:"ok",text:s("trust.closed")}),await b(),K()}catch(k){B({kind:"error",text:s("trust.close_refused",{why:L(k)})})}};return f`<section data-testid="trust">
    <h1>${s("nav.trust")}</h1>
    <${O} kind=${h?.kind} testid="trust-message">${h?.text}<//>
    <form class="card" onSubmit=${_} novalidate>
      <h2>${s("trust.set_title")}</h2>
      <p class="note">${s("trust.explain")}</p>
      <${At} id="trust-member" label=${s("trust.member")} value=${r} onChange=${a} error=${m.member} />
      <${N} id="trust-eq" label=${s("equivalent")}>
        <select id="trust-eq" value=${c} onChange=${$=>l($.currentTarget.value)}>
          ${e.equivalents.map($=>f`<option value=${$.code}>${$.code}${$.description?" — "+$.description:""}</option>`)}
        </select>
      <//>
      <${N} id="trust-limit" label=${s("trust.limit")} hint=${s("amount.hint",{n:G(c)})} error=${m.limit}>
        <input id="trust-limit" inputmode="decimal" autocomplete="off" value=${p} onInput=${$=>d($.currentTarget.value.trim())} aria-describedby="trust-limit-hint" />
      <//>
      <div class="field check">
        <input id="trust-auto" type="checkbox" checked=${u} onChange=${$=>g($.currentTarget.checked)} />
        <label for="trust-auto">${s("trust.auto")}</label>
      </div>
      <button type="submit" disabled=${I}>${I?s("working"):s("trust.save")}</button>
    </form>
    <div class="grid">
      <div class="card">
        <h2>${s("trust.given")}</h2>
        ${t.length===0?f`<p>${s("trust.none")}</p>`:f`<ul class="lines">${t.map($=>f`<${We} key=${$.id} line=${$} given onEdit=${M} onClose=${E} />`)}</ul>`}
      </div>
      <div class="card">
        <h2>${s("trust.received")}</h2>
        ${n.length===0?f`<p>${s("trust.none")}</p>`:f`<ul class="lines">${n.map($=>f`<${We} key=${$.id} line=${$} />`)}</ul>`}
      </div>
    </div>
  </section>`}function hn({record:e}){const t=e.payment||e,i=e.payment?e.receipt:e,n=t.status==="committed";return f`<article class="card receipt ${n?"ok":"failed"}" data-testid="receipt" aria-live="polite">
    <h2>${n?s("receipt.paid"):s("receipt.not_paid")}</h2>
    <p class="big">${t.amount} ${t.equivalent}</p>
    <p>${s("receipt.to")} <${F} pid=${t.payee} /></p>
    ${i&&f`<p class="note">${s("receipt.verified")}</p>`}
    ${t.routes.length>0&&f`<div>
      <h3>${s("receipt.paths",{n:t.routes.length})}</h3>
      <ol class="routes">
        ${t.routes.map((o,r)=>f`<li key=${r}>
          ${o.path.map((a,c)=>f`${c>0?" → ":""}<${F} pid=${a} />`)}
          <strong> ${o.amount}</strong>
        </li>`)}
      </ol>
    </div>`}
    <small class="mono">tx ${t.tx_id}</small>
  </article>`}const gn=typeof window<"u"&&"BarcodeDetector"in window&&!!navigator.mediaDevices;function mn({onScan:e,onClose:t}){const i=Kt(null),[n,o]=v("");return V(()=>{let r,a=!1;return(async()=>{try{const c=new window.BarcodeDetector({formats:["qr_code"]});for(r=await navigator.mediaDevices.getUserMedia({video:{facingMode:"environment"}}),i.current.srcObject=r,await i.current.play();!a;){const l=await c.detect(i.current).catch(()=>[]);if(l.length){e(l[0].rawValue);break}await new Promise(p=>setTimeout(p,250))}}catch{o(s("scan.failed"))}})(),()=>{a=!0,r?.getTracks().forEach(c=>c.stop())}},[]),f`<div class="scanner card">
    <video ref=${i} muted playsinline aria-label=${s("scan.video")}></video>
    ${n&&f`<p class="error" role="alert">${n}</p>`}
    <button type="button" class="secondary" onClick=${t}>${s("scan.stop")}</button>
  </div>`}function $n(){return new URLSearchParams(location.search).get("invoice")||""}function yn(){const e=j(),[t,i]=v($n()),[n,o]=v(null),[r,a]=v(""),[c,l]=v(e.equivalents[0]?.code||""),[p,d]=v(""),[u,g]=v(""),[m,q]=v({}),[h,B]=v(null),[I,A]=v(null),[b,_]=v(""),[M,E]=v(!1),[$,k]=v(!1),y=w=>(_(""),B(null),A(null),o(null),q({link:s("invoice.unsupported")}));V(()=>{t&&y()},[]);const P=async(w,D,U)=>{try{const ee=await e.client.capacity(w,D,U);B(ee)}catch(ee){_(L(ee))}},T=async w=>{w.preventDefault(),A(null),B(null),_("");const D={};xe(r)?r===e.me.pid&&(D.payee=s("pay.not_self")):D.payee=s("pay.bad_pid");try{ae(p,G(c)),/^0*(\.0*)?$/.test(p)&&(D.amount=s("pay.positive"))}catch(U){D.amount=L(U)}if(q(D),!Object.keys(D).length){E(!0);try{const U=await e.client.participant(r);e.names.set(U.pid,U.display_name),await P(r,c,p)}catch(U){U.code==="E_NOT_FOUND"?q({payee:s("pay.unknown_member")}):_(L(U))}E(!1)}},R=async()=>{E(!0),_("");try{const w=n?await e.client.payInvoice(n):await e.client.pay({payee:r,equivalent:c,amount:p,...u?{description:u}:{}});A(w),B(null),o(null),i(""),d(""),K()}catch(w){_(L(w))}E(!1)},S=n?{payee:n.payee,equivalent:n.equivalent,amount:n.amount}:{equivalent:c,amount:p};return f`<section data-testid="pay">
    <h1>${s("nav.pay")}</h1>
    <form class="card" onSubmit=${w=>{w.preventDefault(),y()}} novalidate>
      <h2>${s("pay.by_request")}</h2>
      <${N} id="invoice-link" label=${s("pay.request_link")} hint=${s("pay.request_hint")} error=${m.link}>
        <textarea id="invoice-link" rows="2" autocomplete="off" spellcheck=${!1} value=${t} onInput=${w=>i(w.currentTarget.value)} aria-describedby="invoice-link-hint"></textarea>
      <//>
      <div class="actions">
        <button type="submit" class="secondary">${s("pay.open_request")}</button>
        ${gn&&f`<button type="button" class="secondary" onClick=${()=>k(!0)}>${s("scan.start")}</button>`}
      </div>
      ${$&&f`<${mn} onScan=${w=>{k(!1),i(w),y()}} onClose=${()=>k(!1)} />`}
    </form>
    ${n&&f`<article class="card invoice" data-testid="invoice">
      <h2>${s("invoice.title")}</h2>
      <p class="big">${n.amount} ${n.equivalent}</p>
      <p>${s("receipt.to")} <${F} pid=${n.payee} /></p>
      ${n.description&&f`<p>“${n.description}”</p>`}
      <p class="note">${s("invoice.checked",{until:new Date(n.expires_at).toLocaleString()})}</p>
    </article>`}
    ${!n&&f`<form class="card" onSubmit=${T} novalidate>
      <h2>${s("pay.direct")}</h2>
      <${At} id="pay-to" label=${s("pay.to")} value=${r} onChange=${w=>{a(w),B(null)}} error=${m.payee} />
      <${N} id="pay-eq" label=${s("equivalent")}>
        <select id="pay-eq" value=${c} onChange=${w=>{l(w.currentTarget.value),B(null)}}>
          ${e.equivalents.map(w=>f`<option value=${w.code}>${w.code}</option>`)}
        </select>
      <//>
      <${N} id="pay-amount" label=${s("amount")} hint=${s("amount.hint",{n:G(c)})} error=${m.amount}>
        <input id="pay-amount" inputmode="decimal" autocomplete="off" value=${p} onInput=${w=>{d(w.currentTarget.value.trim()),B(null)}} aria-describedby="pay-amount-hint" />
      <//>
      <${N} id="pay-desc" label=${s("pay.description")}>
        <input id="pay-desc" maxlength="200" value=${u} onInput=${w=>g(w.currentTarget.value)} />
      <//>
      <button type="submit" class="secondary" disabled=${M}>${s("pay.preview")}</button>
    </form>`}
    ${h&&f`<div class="card preview" data-testid="preview">
      <p>${s("pay.max_now",{amount:h.max_amount,equivalent:h.equivalent})}</p>
      ${h.can_pay===!1?f`<p class="error" role="alert">${s("pay.cannot",{amount:S.amount})}</p>`:f`<button onClick=${R} disabled=${M}>${M?s("working"):s("pay.sign_send",{amount:S.amount,equivalent:S.equivalent})}</button>`}
    </div>`}
    <${O} kind="error" testid="pay-error">${b}<//>
    ${I&&f`<${hn} record=${I} />`}
  </section>`}function vn(e){return e&&e.__esModule&&Object.prototype.hasOwnProperty.call(e,"default")?e.default:e}var X={},he,Ze;function wn(){return Ze||(Ze=1,he=function(){return typeof Promise=="function"&&Promise.prototype&&Promise.prototype.then}),he}var ge={},Y={},Xe;function Q(){if(Xe)return Y;Xe=1;let e;const t=[0,26,44,70,100,134,172,196,242,292,346,404,466,532,581,655,733,815,901,991,1085,1156,1258,1364,1474,1588,1706,1828,1921,2051,2185,2323,2465,2611,2761,2876,3034,3196,3362,3532,3706];return Y.getSymbolSize=function(n){if(!n)throw new Error('"version" cannot be null or undefined');if(n<1||n>40)throw new Error('"version" should be in range from 1 to 40');return n*4+17},Y.getSymbolTotalCodewords=function(n){return t[n]},Y.getBCHDigit=function(i){let n=0;for(;i!==0;)n++,i>>>=1;return n},Y.setToSJISFunction=function(n){if(typeof n!="function")throw new Error('"toSJISFunc" is not a valid function.');e=n},Y.isKanjiModeEnabled=function(){return typeof e<"u"},Y.toSJIS=function(n){return e(n)},Y}var me={},et;function Je(){return et||(et=1,(function(e){e.L={bit:1},e.M={bit:0},e.Q={bit:3},e.H={bit:2};function t(i){if(typeof i!="string")throw new Error("Param is not a string");switch(i.toLowerCase()){case"l":case"low":return e.L;case"m":case"medium":return e.M;case"q":case"quartile":return e.Q;case"h":case"high":return e.H;default:throw new Error("Unknown EC Level: "+i)}}e.isValid=function(n){return n&&typeof n.bit<"u"&&n.bit>=0&&n.bit<4},e.from=function(n,o){if(e.isValid(n))return n;try{return t(n)}catch{return o}}})(me)),me}var $e,tt;function bn(){if(tt)return $e;tt=1;function e(){this.buffer=[],this.length=0}return e.prototype={get:function(t){const i=Math.floor(t/8);return(this.buffer[i]>>>7-t%8&1)===1},put:function(t,i){for(let n=0;n<i;n++)this.putBit((t>>>i-n-1&1)===1)},getLengthInBits:function(){return this.length},putBit:function(t){const i=Math.floor(this.length/8);this.buffer.length<=i&&this.buffer.push(0),t&&(this.buffer[i]|=128>>>this.length%8),this.length++}},$e=e,$e}var ye,nt;function kn(){if(nt)return ye;nt=1;function e(t){if(!t||t<1)throw new Error("BitMatrix size must be defined and greater than 0");this.size=t,this.data=new Uint8Array(t*t),this.reservedBit=new Uint8Array(t*t)}return e.prototype.set=function(t,i,n,o){const r=t*this.size+i;this.data[r]=n,o&&(this.reservedBit[r]=!0)},e.prototype.get=function(t,i){return this.data[t*this.size+i]},e.prototype.xor=function(t,i,n){this.data[t*this.size+i]^=n},e.prototype.isReserved=function(t,i){return this.reservedBit[t*this.size+i]},ye=e,ye}var ve={},rt;function Cn(){return rt||(rt=1,(function(e){const t=Q().getSymbolSize;e.getRowColCoords=function(n){if(n===1)return[];const o=Math.floor(n/7)+2,r=t(n),a=r===145?26:Math.ceil((r-13)/(2*o-2))*2,c=[r-7];for(let l=1;l<o-1;l++)c[l]=c[l-1]-a;return c.push(6),c.reverse()},e.getPositions=function(n){const o=[],r=e.getRowColCoords(n),a=r.length;for(let c=0;c<a;c++)for(let l=0;l<a;l++)c===0&&l===0||c===0&&l===a-1||c===a-1&&l===0||o.push([r[c],r[l]]);return o}})(ve)),ve}var we={},ot;function En(){if(ot)return we;ot=1;const e=Q().getSymbolSize,t=7;return we.getPositions=function(n){const o=e(n);return[[0,0],[o-t,0],[0,o-t]]},we}var be={},it;function qn(){return it||(it=1,(function(e){e.Patterns={PATTERN000:0,PATTERN001:1,PATTERN010:2,PATTERN011:3,PATTERN100:4,PATTERN101:5,PATTERN110:6,PATTERN111:7};const t={N1:3,N2:3,N3:40,N4:10};e.isValid=function(o){return o!=null&&o!==""&&!isNaN(o)&&o>=0&&o<=7},e.from=function(o){return e.isValid(o)?parseInt(o,10):void 0},e.getPenaltyN1=function(o){const r=o.size;let a=0,c=0,l=0,p=null,d=null;for(let u=0;u<r;u++){c=l=0,p=d=null;for(let g=0;g<r;g++){let m=o.get(u,g);m===p?c++:(c>=5&&(a+=t.N1+(c-5)),p=m,c=1),m=o.get(g,u),m===d?l++:(l>=5&&(a+=t.N1+(l-5)),d=m,l=1)}c>=5&&(a+=t.N1+(c-5)),l>=5&&(a+=t.N1+(l-5))}return a},e.getPenaltyN2=function(o){const r=o.size;let a=0;for(let c=0;c<r-1;c++)for(let l=0;l<r-1;l++){const p=o.get(c,l)+o.get(c,l+1)+o.get(c+1,l)+o.get(c+1,l+1);(p===4||p===0)&&a++}return a*t.N2},e.getPenaltyN3=function(o){const r=o.size;let a=0,c=0,l=0;for(let p=0;p<r;p++){c=l=0;for(let d=0;d<r;d++)c=c<<1&2047|o.get(p,d),d>=10&&(c===1488||c===93)&&a++,l=l<<1&2047|o.get(d,p),d>=10&&(l===1488||l===93)&&a++}return a*t.N3},e.getPenaltyN4=function(o){let r=0;const a=o.data.length;for(let l=0;l<a;l++)r+=o.data[l];return Math.abs(Math.ceil(r*100/a/5)-10)*t.N4};function i(n,o,r){switch(n){case e.Patterns.PATTERN000:return(o+r)%2===0;case e.Patterns.PATTERN001:return o%2===0;case e.Patterns.PATTERN010:return r%3===0;case e.Patterns.PATTERN011:return(o+r)%3===0;case e.Patterns.PATTERN100:return(Math.floor(o/2)+Math.floor(r/3))%2===0;case e.Patterns.PATTERN101:return o*r%2+o*r%3===0;case e.Patterns.PATTERN110:return(o*r%2+o*r%3)%2===0;case e.Patterns.PATTERN111:return(o*r%3+(o+r)%2)%2===0;default:throw new Error("bad maskPattern:"+n)}}e.applyMask=function(o,r){const a=r.size;for(let c=0;c<a;c++)for(let l=0;l<a;l++)r.isReserved(l,c)||r.xor(l,c,i(o,l,c))},e.getBestMask=function(o,r){const a=Object.keys(e.Patterns).length;let c=0,l=1/0;for(let p=0;p<a;p++){r(p),e.applyMask(p,o);const d=e.getPenaltyN1(o)+e.getPenaltyN2(o)+e.getPenaltyN3(o)+e.getPenaltyN4(o);e.applyMask(p,o),d<l&&(l=d,c=p)}return c}})(be)),be}var oe={},st;function Mt(){if(st)return oe;st=1;const e=Je(),t=[1,1,1,1,1,1,1,1,1,1,2,2,1,2,2,4,1,2,4,4,2,4,4,4,2,4,6,5,2,4,6,6,2,5,8,8,4,5,8,8,4,5,8,11,4,8,10,11,4,9,12,16,4,9,16,16,6,10,12,18,6,10,17,16,6,11,16,19,6,13,18,21,7,14,21,25,8,16,20,25,8,17,23,25,9,17,23,34,9,18,25,30,10,20,27,32,12,21,29,35,12,23,34,37,12,25,34,40,13,26,35,42,14,28,38,45,15,29,40,48,16,31,43,51,17,33,45,54,18,35,48,57,19,37,51,60,19,38,53,63,20,40,56,66,21,43,59,70,22,45,62,74,24,47,65,77,25,49,68,81],i=[7,10,13,17,10,16,22,28,15,26,36,44,20,36,52,64,26,48,72,88,36,64,96,112,40,72,108,130,48,88,132,156,60,110,160,192,72,130,192,224,80,150,224,264,96,176,260,308,104,198,288,352,120,216,320,384,132,240,360,432,144,280,408,480,168,308,448,532,180,338,504,588,196,364,546,650,224,416,600,700,224,442,644,750,252,476,690,816,270,504,750,900,300,560,810,960,312,588,870,1050,336,644,952,1110,360,700,1020,1200,390,728,1050,1260,420,784,1140,1350,450,812,1200,1440,480,868,1290,1530,510,924,1350,1620,540,980,1440,1710,570,1036,1530,1800,570,1064,1590,1890,600,1120,1680,1980,630,1204,1770,2100,660,1260,1860,2220,720,1316,1950,2310,750,1372,2040,2430];return oe.getBlocksCount=function(o,r){switch(r){case e.L:return t[(o-1)*4+0];case e.M:return t[(o-1)*4+1];case e.Q:return t[(o-1)*4+2];case e.H:return t[(o-1)*4+3];default:return}},oe.getTotalCodewordsCount=function(o,r){switch(r){case e.L:return i[(o-1)*4+0];case e.M:return i[(o-1)*4+1];case e.Q:return i[(o-1)*4+2];case e.H:return i[(o-1)*4+3];default:return}},oe}var ke={},te={},at;function _n(){if(at)return te;at=1;const e=new Uint8Array(512),t=new Uint8Array(256);return(function(){let n=1;for(let o=0;o<255;o++)e[o]=n,t[n]=o,n<<=1,n&256&&(n^=285);for(let o=255;o<512;o++)e[o]=e[o-255]})(),te.log=function(n){if(n<1)throw new Error("log("+n+")");return t[n]},te.exp=function(n){return e[n]},te.mul=function(n,o){return n===0||o===0?0:e[t[n]+t[o]]},te}var ct;function Bn(){return ct||(ct=1,(function(e){const t=_n();e.mul=function(n,o){const r=new Uint8Array(n.length+o.length-1);for(let a=0;a<n.length;a++)for(let c=0;c<o.length;c++)r[a+c]^=t.mul(n[a],o[c]);return r},e.mod=function(n,o){let r=new Uint8Array(n);for(;r.length-o.length>=0;){const a=r[0];for(let l=0;l<o.length;l++)r[l]^=t.mul(o[l],a);let c=0;for(;c<r.length&&r[c]===0;)c++;r=r.slice(c)}return r},e.generateECPolynomial=function(n){let o=new Uint8Array([1]);for(let r=0;r<n;r++)o=e.mul(o,new Uint8Array([1,t.exp(r)]));return o}})(ke)),ke}var Ce,lt;function Tn(){if(lt)return Ce;lt=1;const e=Bn();function t(i){this.genPoly=void 0,this.degree=i,this.degree&&this.initialize(this.degree)}return t.prototype.initialize=function(n){this.degree=n,this.genPoly=e.generateECPolynomial(this.degree)},t.prototype.encode=function(n){if(!this.genPoly)throw new Error("Encoder not initialized");const o=new Uint8Array(n.length+this.degree);o.set(n);const r=e.mod(o,this.genPoly),a=this.degree-r.length;if(a>0){const c=new Uint8Array(this.degree);return c.set(r,a),c}return r},Ce=t,Ce}var Ee={},qe={},_e={},ut;function Nt(){return ut||(ut=1,_e.isValid=function(t){return!isNaN(t)&&t>=1&&t<=40}),_e}var H={},dt;function Lt(){if(dt)return H;dt=1;const e="[0-9]+",t="[A-Z $%*+\\-./:]+";let i="(?:[u3000-u303F]|[u3040-u309F]|[u30A0-u30FF]|[uFF00-uFFEF]|[u4E00-u9FAF]|[u2605-u2606]|[u2190-u2195]|u203B|[u2010u2015u2018u2019u2025u2026u201Cu201Du2225u2260]|[u0391-u0451]|[u00A7u00A8u00B1u00B4u00D7u00F7])+";i=i.replace(/u/g,"\\u");const n="(?:(?![A-Z0-9 $%*+\\-./:]|"+i+`)(?:.|[\r
]))+`;H.KANJI=new RegExp(i,"g"),H.BYTE_KANJI=new RegExp("[^A-Z0-9 $%*+\\-./:]+","g"),H.BYTE=new RegExp(n,"g"),H.NUMERIC=new RegExp(e,"g"),H.ALPHANUMERIC=new RegExp(t,"g");const o=new RegExp("^"+i+"$"),r=new RegExp("^"+e+"$"),a=new RegExp("^[A-Z0-9 $%*+\\-./:]+$");return H.testKanji=function(l){return o.test(l)},H.testNumeric=function(l){return r.test(l)},H.testAlphanumeric=function(l){return a.test(l)},H}var ft;function W(){return ft||(ft=1,(function(e){const t=Nt(),i=Lt();e.NUMERIC={id:"Numeric",bit:1,ccBits:[10,12,14]},e.ALPHANUMERIC={id:"Alphanumeric",bit:2,ccBits:[9,11,13]},e.BYTE={id:"Byte",bit:4,ccBits:[8,16,16]},e.KANJI={id:"Kanji",bit:8,ccBits:[8,10,12]},e.MIXED={bit:-1},e.getCharCountIndicator=function(r,a){if(!r.ccBits)throw new Error("Invalid mode: "+r);if(!t.isValid(a))throw new Error("Invalid version: "+a);return a>=1&&a<10?r.ccBits[0]:a<27?r.ccBits[1]:r.ccBits[2]},e.getBestModeForData=function(r){return i.testNumeric(r)?e.NUMERIC:i.testAlphanumeric(r)?e.ALPHANUMERIC:i.testKanji(r)?e.KANJI:e.BYTE},e.toString=function(r){if(r&&r.id)return r.id;throw new Error("Invalid mode")},e.isValid=function(r){return r&&r.bit&&r.ccBits};function n(o){if(typeof o!="string")throw new Error("Param is not a string");switch(o.toLowerCase()){case"numeric":return e.NUMERIC;case"alphanumeric":return e.ALPHANUMERIC;case"kanji":return e.KANJI;case"byte":return e.BYTE;default:throw new Error("Unknown mode: "+o)}}e.from=function(r,a){if(e.isValid(r))return r;try{return n(r)}catch{return a}}})(qe)),qe}var pt;function Sn(){return pt||(pt=1,(function(e){const t=Q(),i=Mt(),n=Je(),o=W(),r=Nt(),a=7973,c=t.getBCHDigit(a);function l(g,m,q){for(let h=1;h<=40;h++)if(m<=e.getCapacity(h,q,g))return h}function p(g,m){return o.getCharCountIndicator(g,m)+4}function d(g,m){let q=0;return g.forEach(function(h){const B=p(h.mode,m);q+=B+h.getBitsLength()}),q}function u(g,m){for(let q=1;q<=40;q++)if(d(g,q)<=e.getCapacity(q,m,o.MIXED))return q}e.from=function(m,q){return r.isValid(m)?parseInt(m,10):q},e.getCapacity=function(m,q,h){if(!r.isValid(m))throw new Error("Invalid QR Code version");typeof h>"u"&&(h=o.BYTE);const B=t.getSymbolTotalCodewords(m),I=i.getTotalCodewordsCount(m,q),A=(B-I)*8;if(h===o.MIXED)return A;const b=A-p(h,m);switch(h){case o.NUMERIC:return Math.floor(b/10*3);case o.ALPHANUMERIC:return Math.floor(b/11*2);case o.KANJI:return Math.floor(b/13);case o.BYTE:default:return Math.floor(b/8)}},e.getBestVersionForData=function(m,q){let h;const B=n.from(q,n.M);if(Array.isArray(m)){if(m.length>1)return u(m,B);if(m.length===0)return 1;h=m[0]}else h=m;return l(h.mode,h.getLength(),B)},e.getEncodedBits=function(m){if(!r.isValid(m)||m<7)throw new Error("Invalid QR Code version");let q=m<<12;for(;t.getBCHDigit(q)-c>=0;)q^=a<<t.getBCHDigit(q)-c;return m<<12|q}})(Ee)),Ee}var Be={},ht;function In(){if(ht)return Be;ht=1;const e=Q(),t=1335,i=21522,n=e.getBCHDigit(t);return Be.getEncodedBits=function(r,a){const c=r.bit<<3|a;let l=c<<10;for(;e.getBCHDigit(l)-n>=0;)l^=t<<e.getBCHDigit(l)-n;return(c<<10|l)^i},Be}var Te={},Se,gt;function Pn(){if(gt)return Se;gt=1;const e=W();function t(i){this.mode=e.NUMERIC,this.data=i.toString()}return t.getBitsLength=function(n){return 10*Math.floor(n/3)+(n%3?n%3*3+1:0)},t.prototype.getLength=function(){return this.data.length},t.prototype.getBitsLength=function(){return t.getBitsLength(this.data.length)},t.prototype.write=function(n){let o,r,a;for(o=0;o+3<=this.data.length;o+=3)r=this.data.substr(o,3),a=parseInt(r,10),n.put(a,10);const c=this.data.length-o;c>0&&(r=this.data.substr(o),a=parseInt(r,10),n.put(a,c*3+1))},Se=t,Se}var Ie,mt;function Rn(){if(mt)return Ie;mt=1;const e=W(),t=["0","1","2","3","4","5","6","7","8","9","A","B","C","D","E","F","G","H","I","J","K","L","M","N","O","P","Q","R","S","T","U","V","W","X","Y","Z"," ","$","%","*","+","-",".","/",":"];function i(n){this.mode=e.ALPHANUMERIC,this.data=n}return i.getBitsLength=function(o){return 11*Math.floor(o/2)+6*(o%2)},i.prototype.getLength=function(){return this.data.length},i.prototype.getBitsLength=function(){return i.getBitsLength(this.data.length)},i.prototype.write=function(o){let r;for(r=0;r+2<=this.data.length;r+=2){let a=t.indexOf(this.data[r])*45;a+=t.indexOf(this.data[r+1]),o.put(a,11)}this.data.length%2&&o.put(t.indexOf(this.data[r]),6)},Ie=i,Ie}var Pe,$t;function An(){if($t)return Pe;$t=1;const e=W();function t(i){this.mode=e.BYTE,typeof i=="string"?this.data=new TextEncoder().encode(i):this.data=new Uint8Array(i)}return t.getBitsLength=function(n){return n*8},t.prototype.getLength=function(){return this.data.length},t.prototype.getBitsLength=function(){return t.getBitsLength(this.data.length)},t.prototype.write=function(i){for(let n=0,o=this.data.length;n<o;n++)i.put(this.data[n],8)},Pe=t,Pe}var Re,yt;function Mn(){if(yt)return Re;yt=1;const e=W(),t=Q();function i(n){this.mode=e.KANJI,this.data=n}return i.getBitsLength=function(o){return o*13},i.prototype.getLength=function(){return this.data.length},i.prototype.getBitsLength=function(){return i.getBitsLength(this.data.length)},i.prototype.write=function(n){let o;for(o=0;o<this.data.length;o++){let r=t.toSJIS(this.data[o]);if(r>=33088&&r<=40956)r-=33088;else if(r>=57408&&r<=60351)r-=49472;else throw new Error("Invalid SJIS character: "+this.data[o]+`
Make sure your charset is UTF-8`);r=(r>>>8&255)*192+(r&255),n.put(r,13)}},Re=i,Re}var Ae={exports:{}},vt;function Nn(){return vt||(vt=1,(function(e){var t={single_source_shortest_paths:function(i,n,o){var r={},a={};a[n]=0;var c=t.PriorityQueue.make();c.push(n,0);for(var l,p,d,u,g,m,q,h,B;!c.empty();){l=c.pop(),p=l.value,u=l.cost,g=i[p]||{};for(d in g)g.hasOwnProperty(d)&&(m=g[d],q=u+m,h=a[d],B=typeof a[d]>"u",(B||h>q)&&(a[d]=q,c.push(d,q),r[d]=p))}if(typeof o<"u"&&typeof a[o]>"u"){var I=["Could not find a path from ",n," to ",o,"."].join("");throw new Error(I)}return r},extract_shortest_path_from_predecessor_list:function(i,n){for(var o=[],r=n;r;)o.push(r),i[r],r=i[r];return o.reverse(),o},find_path:function(i,n,o){var r=t.single_source_shortest_paths(i,n,o);return t.extract_shortest_path_from_predecessor_list(r,o)},PriorityQueue:{make:function(i){var n=t.PriorityQueue,o={},r;i=i||{};for(r in n)n.hasOwnProperty(r)&&(o[r]=n[r]);return o.queue=[],o.sorter=i.sorter||n.default_sorter,o},default_sorter:function(i,n){return i.cost-n.cost},push:function(i,n){var o={value:i,cost:n};this.queue.push(o),this.queue.sort(this.sorter)},pop:function(){return this.queue.shift()},empty:function(){return this.queue.length===0}}};e.exports=t})(Ae)),Ae.exports}var wt;function Ln(){return wt||(wt=1,(function(e){const t=W(),i=Pn(),n=Rn(),o=An(),r=Mn(),a=Lt(),c=Q(),l=Nn();function p(I){return unescape(encodeURIComponent(I)).length}function d(I,A,b){const _=[];let M;for(;(M=I.exec(b))!==null;)_.push({data:M[0],index:M.index,mode:A,length:M[0].length});return _}function u(I){const A=d(a.NUMERIC,t.NUMERIC,I),b=d(a.ALPHANUMERIC,t.ALPHANUMERIC,I);let _,M;return c.isKanjiModeEnabled()?(_=d(a.BYTE,t.BYTE,I),M=d(a.KANJI,t.KANJI,I)):(_=d(a.BYTE_KANJI,t.BYTE,I),M=[]),A.concat(b,_,M).sort(function($,k){return $.index-k.index}).map(function($){return{data:$.data,mode:$.mode,length:$.length}})}function g(I,A){switch(A){case t.NUMERIC:return i.getBitsLength(I);case t.ALPHANUMERIC:return n.getBitsLength(I);case t.KANJI:return r.getBitsLength(I);case t.BYTE:return o.getBitsLength(I)}}function m(I){return I.reduce(function(A,b){const _=A.length-1>=0?A[A.length-1]:null;return _&&_.mode===b.mode?(A[A.length-1].data+=b.data,A):(A.push(b),A)},[])}function q(I){const A=[];for(let b=0;b<I.length;b++){const _=I[b];switch(_.mode){case t.NUMERIC:A.push([_,{data:_.data,mode:t.ALPHANUMERIC,length:_.length},{data:_.data,mode:t.BYTE,length:_.length}]);break;case t.ALPHANUMERIC:A.push([_,{data:_.data,mode:t.BYTE,length:_.length}]);break;case t.KANJI:A.push([_,{data:_.data,mode:t.BYTE,length:p(_.data)}]);break;case t.BYTE:A.push([{data:_.data,mode:t.BYTE,length:p(_.data)}])}}return A}function h(I,A){const b={},_={start:{}};let M=["start"];for(let E=0;E<I.length;E++){const $=I[E],k=[];for(let y=0;y<$.length;y++){const P=$[y],T=""+E+y;k.push(T),b[T]={node:P,lastCount:0},_[T]={};for(let R=0;R<M.length;R++){const S=M[R];b[S]&&b[S].node.mode===P.mode?(_[S][T]=g(b[S].lastCount+P.length,P.mode)-g(b[S].lastCount,P.mode),b[S].lastCount+=P.length):(b[S]&&(b[S].lastCount=P.length),_[S][T]=g(P.length,P.mode)+4+t.getCharCountIndicator(P.mode,A))}}M=k}for(let E=0;E<M.length;E++)_[M[E]].end=0;return{map:_,table:b}}function B(I,A){let b;const _=t.getBestModeForData(I);if(b=t.from(A,_),b!==t.BYTE&&b.bit<_.bit)throw new Error('"'+I+'" cannot be encoded with mode '+t.toString(b)+`.
 Suggested mode is: `+t.toString(_));switch(b===t.KANJI&&!c.isKanjiModeEnabled()&&(b=t.BYTE),b){case t.NUMERIC:return new i(I);case t.ALPHANUMERIC:return new n(I);case t.KANJI:return new r(I);case t.BYTE:return new o(I)}}e.fromArray=function(A){return A.reduce(function(b,_){return typeof _=="string"?b.push(B(_,null)):_.data&&b.push(B(_.data,_.mode)),b},[])},e.fromString=function(A,b){const _=u(A,c.isKanjiModeEnabled()),M=q(_),E=h(M,b),$=l.find_path(E.map,"start","end"),k=[];for(let y=1;y<$.length-1;y++)k.push(E.table[$[y]].node);return e.fromArray(m(k))},e.rawSplit=function(A){return e.fromArray(u(A,c.isKanjiModeEnabled()))}})(Te)),Te}var bt;function Dn(){if(bt)return ge;bt=1;const e=Q(),t=Je(),i=bn(),n=kn(),o=Cn(),r=En(),a=qn(),c=Mt(),l=Tn(),p=Sn(),d=In(),u=W(),g=Ln();function m(E,$){const k=E.size,y=r.getPositions($);for(let P=0;P<y.length;P++){const T=y[P][0],R=y[P][1];for(let S=-1;S<=7;S++)if(!(T+S<=-1||k<=T+S))for(let w=-1;w<=7;w++)R+w<=-1||k<=R+w||(S>=0&&S<=6&&(w===0||w===6)||w>=0&&w<=6&&(S===0||S===6)||S>=2&&S<=4&&w>=2&&w<=4?E.set(T+S,R+w,!0,!0):E.set(T+S,R+w,!1,!0))}}function q(E){const $=E.size;for(let k=8;k<$-8;k++){const y=k%2===0;E.set(k,6,y,!0),E.set(6,k,y,!0)}}function h(E,$){const k=o.getPositions($);for(let y=0;y<k.length;y++){const P=k[y][0],T=k[y][1];for(let R=-2;R<=2;R++)for(let S=-2;S<=2;S++)R===-2||R===2||S===-2||S===2||R===0&&S===0?E.set(P+R,T+S,!0,!0):E.set(P+R,T+S,!1,!0)}}function B(E,$){const k=E.size,y=p.getEncodedBits($);let P,T,R;for(let S=0;S<18;S++)P=Math.floor(S/3),T=S%3+k-8-3,R=(y>>S&1)===1,E.set(P,T,R,!0),E.set(T,P,R,!0)}function I(E,$,k){const y=E.size,P=d.getEncodedBits($,k);let T,R;for(T=0;T<15;T++)R=(P>>T&1)===1,T<6?E.set(T,8,R,!0):T<8?E.set(T+1,8,R,!0):E.set(y-15+T,8,R,!0),T<8?E.set(8,y-T-1,R,!0):T<9?E.set(8,15-T-1+1,R,!0):E.set(8,15-T-1,R,!0);E.set(y-8,8,1,!0)}function A(E,$){const k=E.size;let y=-1,P=k-1,T=7,R=0;for(let S=k-1;S>0;S-=2)for(S===6&&S--;;){for(let w=0;w<2;w++)if(!E.isReserved(P,S-w)){let D=!1;R<$.length&&(D=($[R]>>>T&1)===1),E.set(P,S-w,D),T--,T===-1&&(R++,T=7)}if(P+=y,P<0||k<=P){P-=y,y=-y;break}}}function b(E,$,k){const y=new i;k.forEach(function(w){y.put(w.mode.bit,4),y.put(w.getLength(),u.getCharCountIndicator(w.mode,E)),w.write(y)});const P=e.getSymbolTotalCodewords(E),T=c.getTotalCodewordsCount(E,$),R=(P-T)*8;for(y.getLengthInBits()+4<=R&&y.put(0,4);y.getLengthInBits()%8!==0;)y.putBit(0);const S=(R-y.getLengthInBits())/8;for(let w=0;w<S;w++)y.put(w%2?17:236,8);return _(y,E,$)}function _(E,$,k){const y=e.getSymbolTotalCodewords($),P=c.getTotalCodewordsCount($,k),T=y-P,R=c.getBlocksCount($,k),S=y%R,w=R-S,D=Math.floor(y/R),U=Math.floor(T/R),ee=U+1,Ye=D-U,Ot=new l(Ye);let ce=0;const re=new Array(R),Ge=new Array(R);let le=0;const jt=new Uint8Array(E.buffer);for(let Z=0;Z<R;Z++){const de=Z<w?U:ee;re[Z]=jt.slice(ce,ce+de),Ge[Z]=Ot.encode(re[Z]),ce+=de,le=Math.max(le,de)}const ue=new Uint8Array(y);let Qe=0,x,J;for(x=0;x<le;x++)for(J=0;J<R;J++)x<re[J].length&&(ue[Qe++]=re[J][x]);for(x=0;x<Ye;x++)for(J=0;J<R;J++)ue[Qe++]=Ge[J][x];return ue}function M(E,$,k,y){let P;if(Array.isArray(E))P=g.fromArray(E);else if(typeof E=="string"){let D=$;if(!D){const U=g.rawSplit(E);D=p.getBestVersionForData(U,k)}P=g.fromString(E,D||40)}else throw new Error("Invalid data");const T=p.getBestVersionForData(P,k);if(!T)throw new Error("The amount of data is too big to be stored in a QR Code");if(!$)$=T;else if($<T)throw new Error(`
The chosen QR Code version cannot contain this amount of data.
Minimum version required to store current data is: `+T+`.
`);const R=b($,k,P),S=e.getSymbolSize($),w=new n(S);return m(w,$),q(w),h(w,$),I(w,k,0),$>=7&&B(w,$),A(w,R),isNaN(y)&&(y=a.getBestMask(w,I.bind(null,w,k))),a.applyMask(y,w),I(w,k,y),{modules:w,version:$,errorCorrectionLevel:k,maskPattern:y,segments:P}}return ge.create=function($,k){if(typeof $>"u"||$==="")throw new Error("No input text");let y=t.M,P,T;return typeof k<"u"&&(y=t.from(k.errorCorrectionLevel,t.M),P=p.from(k.version),T=a.from(k.maskPattern),k.toSJISFunc&&e.setToSJISFunction(k.toSJISFunc)),M($,P,y,T)},ge}var Me={},Ne={},kt;function Dt(){return kt||(kt=1,(function(e){function t(i){if(typeof i=="number"&&(i=i.toString()),typeof i!="string")throw new Error("Color should be defined as hex string");let n=i.slice().replace("#","").split("");if(n.length<3||n.length===5||n.length>8)throw new Error("Invalid hex color: "+i);(n.length===3||n.length===4)&&(n=Array.prototype.concat.apply([],n.map(function(r){return[r,r]}))),n.length===6&&n.push("F","F");const o=parseInt(n.join(""),16);return{r:o>>24&255,g:o>>16&255,b:o>>8&255,a:o&255,hex:"#"+n.slice(0,6).join("")}}e.getOptions=function(n){n||(n={}),n.color||(n.color={});const o=typeof n.margin>"u"||n.margin===null||n.margin<0?4:n.margin,r=n.width&&n.width>=21?n.width:void 0,a=n.scale||4;return{width:r,scale:r?4:a,margin:o,color:{dark:t(n.color.dark||"#000000ff"),light:t(n.color.light||"#ffffffff")},type:n.type,rendererOpts:n.rendererOpts||{}}},e.getScale=function(n,o){return o.width&&o.width>=n+o.margin*2?o.width/(n+o.margin*2):o.scale},e.getImageWidth=function(n,o){const r=e.getScale(n,o);return Math.floor((n+o.margin*2)*r)},e.qrToImageData=function(n,o,r){const a=o.modules.size,c=o.modules.data,l=e.getScale(a,r),p=Math.floor((a+r.margin*2)*l),d=r.margin*l,u=[r.color.light,r.color.dark];for(let g=0;g<p;g++)for(let m=0;m<p;m++){let q=(g*p+m)*4,h=r.color.light;if(g>=d&&m>=d&&g<p-d&&m<p-d){const B=Math.floor((g-d)/l),I=Math.floor((m-d)/l);h=u[c[B*a+I]?1:0]}n[q++]=h.r,n[q++]=h.g,n[q++]=h.b,n[q]=h.a}}})(Ne)),Ne}var Ct;function Un(){return Ct||(Ct=1,(function(e){const t=Dt();function i(o,r,a){o.clearRect(0,0,r.width,r.height),r.style||(r.style={}),r.height=a,r.width=a,r.style.height=a+"px",r.style.width=a+"px"}function n(){try{return document.createElement("canvas")}catch{throw new Error("You need to specify a canvas element")}}e.render=function(r,a,c){let l=c,p=a;typeof l>"u"&&(!a||!a.getContext)&&(l=a,a=void 0),a||(p=n()),l=t.getOptions(l);const d=t.getImageWidth(r.modules.size,l),u=p.getContext("2d"),g=u.createImageData(d,d);return t.qrToImageData(g.data,r,l),i(u,p,d),u.putImageData(g,0,0),p},e.renderToDataURL=function(r,a,c){let l=c;typeof l>"u"&&(!a||!a.getContext)&&(l=a,a=void 0),l||(l={});const p=e.render(r,a,l),d=l.type||"image/png",u=l.rendererOpts||{};return p.toDataURL(d,u.quality)}})(Me)),Me}var Le={},Et;function Fn(){if(Et)return Le;Et=1;const e=Dt();function t(o,r){const a=o.a/255,c=r+'="'+o.hex+'"';return a<1?c+" "+r+'-opacity="'+a.toFixed(2).slice(1)+'"':c}function i(o,r,a){let c=o+r;return typeof a<"u"&&(c+=" "+a),c}function n(o,r,a){let c="",l=0,p=!1,d=0;for(let u=0;u<o.length;u++){const g=Math.floor(u%r),m=Math.floor(u/r);!g&&!p&&(p=!0),o[u]?(d++,u>0&&g>0&&o[u-1]||(c+=p?i("M",g+a,.5+m+a):i("m",l,0),l=0,p=!1),g+1<r&&o[u+1]||(c+=i("h",d),d=0)):l++}return c}return Le.render=function(r,a,c){const l=e.getOptions(a),p=r.modules.size,d=r.modules.data,u=p+l.margin*2,g=l.color.light.a?"<path "+t(l.color.light,"fill")+' d="M0 0h'+u+"v"+u+'H0z"/>':"",m="<path "+t(l.color.dark,"stroke")+' d="'+n(d,p,l.margin)+'"/>',q='viewBox="0 0 '+u+" "+u+'"',B='<svg xmlns="http://www.w3.org/2000/svg" '+(l.width?'width="'+l.width+'" height="'+l.width+'" ':"")+q+' shape-rendering="crispEdges">'+g+m+`</svg>
`;return typeof c=="function"&&c(null,B),B},Le}var qt;function On(){if(qt)return X;qt=1;const e=wn(),t=Dn(),i=Un(),n=Fn();function o(r,a,c,l,p){const d=[].slice.call(arguments,1),u=d.length,g=typeof d[u-1]=="function";if(!g&&!e())throw new Error("Callback required as last argument");if(g){if(u<2)throw new Error("Too few arguments provided");u===2?(p=c,c=a,a=l=void 0):u===3&&(a.getContext&&typeof p>"u"?(p=l,l=void 0):(p=l,l=c,c=a,a=void 0))}else{if(u<1)throw new Error("Too few arguments provided");return u===1?(c=a,a=l=void 0):u===2&&!a.getContext&&(l=c,c=a,a=void 0),new Promise(function(m,q){try{const h=t.create(c,l);m(r(h,a,l))}catch(h){q(h)}})}try{const m=t.create(c,l);p(null,r(m,a,l))}catch(m){p(m)}}return X.create=t.create,X.toCanvas=o.bind(null,i.render),X.toDataURL=o.bind(null,i.renderToDataURL),X.toString=o.bind(null,function(r,a,c){return n.render(r,c)}),X}var jn=On();const zn=vn(jn);function Ut({text:e,label:t}){const[i,n]=v("");return V(()=>{zn.toString(e,{type:"svg",errorCorrectionLevel:"M",margin:2}).then(o=>n("data:image/svg+xml;charset=utf-8,"+encodeURIComponent(o)),()=>n(""))},[e]),i?f`<img class="qr" src=${i} alt=${t} width="260" height="260" data-testid="qr" />`:null}const Vn=[15,60,1440,10080];function Kn(){const e=j(),[t,i]=v(e.equivalents[0]?.code||""),[n,o]=v(""),[r,a]=v(""),[c,l]=v(60),[p,d]=v({}),[u,g]=v(null),[m,q]=v(""),[h,B]=v(!1),I=b=>{b.preventDefault(),q(""),g(null);const _={};try{ae(n,G(t)),/^0*(\.0*)?$/.test(n)&&(_.amount=s("pay.positive"))}catch(M){_.amount=L(M)}if(d(_),!Object.keys(_).length)return q(s("invoice.unsupported"))},A=async()=>{try{await navigator.clipboard.writeText(u.uri),B(!0)}catch{B(!1)}};return f`<section data-testid="request">
    <h1>${s("nav.request")}</h1>
    <form class="card" onSubmit=${I} novalidate>
      <p class="note">${s("request.explain")}</p>
      <${N} id="req-eq" label=${s("equivalent")}>
        <select id="req-eq" value=${t} onChange=${b=>i(b.currentTarget.value)}>
          ${e.equivalents.map(b=>f`<option value=${b.code}>${b.code}</option>`)}
        </select>
      <//>
      <${N} id="req-amount" label=${s("amount")} hint=${s("amount.hint",{n:G(t)})} error=${p.amount}>
        <input id="req-amount" inputmode="decimal" autocomplete="off" value=${n} onInput=${b=>o(b.currentTarget.value.trim())} aria-describedby="req-amount-hint" />
      <//>
      <${N} id="req-desc" label=${s("pay.description")}>
        <input id="req-desc" maxlength="200" value=${r} onInput=${b=>a(b.currentTarget.value)} />
      <//>
      <${N} id="req-expiry" label=${s("request.expiry")}>
        <select id="req-expiry" value=${c} onChange=${b=>l(Number(b.currentTarget.value))}>
          ${Vn.map(b=>f`<option value=${b}>${s("request.minutes_"+b)}</option>`)}
        </select>
      <//>
      <button type="submit">${s("request.make")}</button>
    </form>
    <${O} kind="error">${m}<//>
    ${u&&f`<article class="card request-made" data-testid="request-made">
      <h2>${s("request.show")}</h2>
      <p class="big">${u.invoice.amount} ${u.invoice.equivalent}</p>
      <${Ut} text=${u.uri} label=${s("request.qr_label",{amount:u.invoice.amount,equivalent:u.invoice.equivalent})} />
      <${N} id="req-link" label=${s("request.link")}>
        <textarea id="req-link" readonly rows="3" data-testid="request-link" value=${u.uri}></textarea>
      <//>
      <button type="button" class="secondary" onClick=${A}>${h?s("request.copied"):s("request.copy")}</button>
    </article>`}
  </section>`}const Hn=20;function xn(){const e=j(),[t,i]=v(""),[n,o]=v(""),[r,a]=v(""),[c,l]=v([]),[p,d]=v(null),[u,g]=v(""),m=()=>({limit:Hn,...t?{direction:t}:{},...n?{equivalent:n}:{},...r?{status:r}:{}}),q=async h=>{try{const B=await e.client.historyPage(m(),h||void 0);l(h?[...c,...B.items]:B.items),d(B.next_cursor||null),g("")}catch(B){g(L(B))}};return V(()=>{q(null)},[t,n,r,e.refresh]),f`<section data-testid="history">
    <h1>${s("nav.history")}</h1>
    <div class="card filters">
      <${N} id="h-dir" label=${s("history.direction")}>
        <select id="h-dir" value=${t} onChange=${h=>i(h.currentTarget.value)}>
          <option value="">${s("history.all")}</option>
          <option value="sent">${s("history.sent")}</option>
          <option value="received">${s("history.received")}</option>
        </select>
      <//>
      <${N} id="h-eq" label=${s("equivalent")}>
        <select id="h-eq" value=${n} onChange=${h=>o(h.currentTarget.value)}>
          <option value="">${s("history.all")}</option>
          ${e.equivalents.map(h=>f`<option value=${h.code}>${h.code}</option>`)}
        </select>
      <//>
      <${N} id="h-status" label=${s("history.status")}>
        <select id="h-status" value=${r} onChange=${h=>a(h.currentTarget.value)}>
          <option value="">${s("history.all")}</option>
          <option value="committed">${s("status.committed")}</option>
          <option value="aborted">${s("status.aborted")}</option>
          <option value="prepared">${s("status.prepared")}</option>
        </select>
      <//>
    </div>
    <${O} kind="error">${u}<//>
    ${c.length===0&&!u&&f`<p class="card">${s("history.none")}</p>`}
    <ul class="history">
      ${c.map(h=>{const B=h.payer===e.me.pid;return f`<li key=${h.tx_id} class="card payment ${B?"sent":"received"}" data-testid="payment">
          <div class="amount ${B?"negative":""}">${B?"−":"+"}${h.amount} ${h.equivalent}</div>
          <div>${B?s("history.to"):s("history.from")} <${F} pid=${B?h.payee:h.payer} /></div>
          ${h.description&&f`<div class="desc">${h.description}</div>`}
          <small>${s("status."+h.status)} · <time datetime=${h.created_at}>${new Date(h.created_at).toLocaleString()}</time></small>
        </li>`})}
    </ul>
    ${p&&f`<button class="secondary" onClick=${()=>q(p)}>${s("history.more")}</button>`}
  </section>`}function _t({edges:e}){return f`<ul class="edges">
    ${e.map((t,i)=>f`<li key=${i}><${F} pid=${t.debtor} /> → <${F} pid=${t.creditor} />: <strong>${t.amount}</strong></li>`)}
  </ul>`}function Jn(){const e=j(),[t,i]=v([]),[n,o]=v([]),[r,a]=v(null),c=async()=>{const[d,u]=await Promise.all([e.client.clearingProposals(),e.client.clearings()]);i(d),o(u)};V(()=>{c().catch(d=>a({kind:"error",text:L(d)}))},[e.refresh]);const l=async(d,u)=>{a(null);try{const g=await e.client.consent(d,u);a({kind:"ok",text:s(u==="accept"?"clearing.accepted":"clearing.rejected",{status:g.status})}),await c(),K()}catch(g){a({kind:"error",text:L(g)})}},p=d=>d.consent_required_from.includes(e.me.pid)&&!d.accepted_by.includes(e.me.pid);return f`<section data-testid="clearing">
    <h1>${s("nav.clearing")}</h1>
    <p class="note">${s("clearing.explain")}</p>
    <${O} kind=${r?.kind} testid="clearing-message">${r?.text}<//>
    <h2>${s("clearing.proposals")}</h2>
    ${t.length===0&&f`<p class="card">${s("clearing.no_proposals")}</p>`}
    ${t.map(d=>{const g=(typeof d.proposal=="string"?JSON.parse(d.proposal):d.proposal).payload.edges;return f`<article class="card proposal" key=${d.clearing_id} data-testid="proposal">
        <h3>${s("clearing.proposal",{equivalent:d.equivalent})}</h3>
        <${_t} edges=${g} />
        <small>${s("clearing.expires",{at:new Date(d.expires_at).toLocaleString()})}</small>
        ${p(d)?f`<div class="actions">
              <button onClick=${()=>l(d,"accept")}>${s("clearing.accept")}</button>
              <button class="danger" onClick=${()=>l(d,"reject")}>${s("clearing.reject")}</button>
            </div>`:f`<p>${s("clearing.waiting")}</p>`}
      </article>`})}
    <h2>${s("clearing.done")}</h2>
    ${n.length===0&&f`<p class="card">${s("clearing.none_done")}</p>`}
    ${n.map(d=>f`<article class="card" key=${d.clearing_id} data-testid="cleared">
      <h3>${s("clearing.cleared_at",{equivalent:d.equivalent,at:new Date(d.at).toLocaleString()})}</h3>
      <${_t} edges=${d.edges.filter(u=>u.debtor===e.me.pid||u.creditor===e.me.pid)} />
    </article>`)}
  </section>`}const Oe=340,z=Oe/2;function Yn(){const e=j(),[t,i]=v(e.equivalents[0]?.code||""),[n,o]=v([]),[r,a]=v("");V(()=>{t&&e.client.debts(t).then(o,u=>a(L(u)))},[t,e.refresh]);const c=G(t),l=n.length>1?z-52:0,p=n.map((u,g)=>{const m=2*Math.PI*g/Math.max(1,n.length)-Math.PI/2;return{...u,x:z+(n.length===1?0:l*Math.cos(m)),y:n.length===1?z-(z-52):z+l*Math.sin(m)}}),d=u=>u.display_name||u.pid.slice(0,6);return f`<section data-testid="network">
    <h1>${s("nav.network")}</h1>
    <div class="card">
      <${N} id="net-eq" label=${s("equivalent")}>
        <select id="net-eq" value=${t} onChange=${u=>i(u.currentTarget.value)}>
          ${e.equivalents.map(u=>f`<option value=${u.code}>${u.code}</option>`)}
        </select>
      <//>
      <${O} kind="error">${r}<//>
      <svg class="network" viewBox=${`0 0 ${Oe} ${Oe}`} role="img" aria-label=${s("network.picture",{n:n.length})}>
        ${p.map(u=>{const g=se(u.i_owe,c)>0n,m=se(u.owes_me,c)>0n;return f`<g key=${u.pid}>
            <line x1=${z} y1=${z} x2=${u.x} y2=${u.y} class=${g?"edge owe":m?"edge owed":"edge"} />
          </g>`})}
        <circle cx=${z} cy=${z} r="30" class="me" />
        <text x=${z} y=${z+5} text-anchor="middle" class="me-label">${s("you")}</text>
        ${p.map(u=>f`<g key=${"n"+u.pid}>
          <circle cx=${u.x} cy=${u.y} r="24" class="member" />
          <text x=${u.x} y=${u.y+4} text-anchor="middle" class="member-label">${d(u).slice(0,8)}</text>
        </g>`)}
      </svg>
      <p class="legend"><span class="key owe"></span> ${s("network.i_owe")} <span class="key owed"></span> ${s("network.owes_me")}</p>
    </div>
    <ul class="card people">
      ${n.length===0&&f`<li>${s("network.alone")}</li>`}
      ${n.map(u=>f`<li key=${u.pid} data-testid="neighbour">
        <${F} pid=${u.pid} />
        <div>${s("network.row",{i_owe:u.i_owe,owes_me:u.owes_me,given:u.limit_given,received:u.limit_received,equivalent:t})}</div>
      </li>`)}
    </ul>
  </section>`}function Ft({event:e}){const t=e.data||{};switch(e.kind){case"payment_received":return f`<span>${s("event.received",{amount:t.amount,equivalent:t.equivalent})} <${F} pid=${t.payer} /></span>`;case"payment_sent":return f`<span>${s("event.sent",{amount:t.amount,equivalent:t.equivalent})} <${F} pid=${t.payee} /></span>`;case"payment_relayed":return f`<span>${s("event.relayed",{amount:t.amount,equivalent:t.equivalent})}</span>`;case"payment_aborted":return f`<span>${s("event.aborted",{amount:t.amount,equivalent:t.equivalent})}</span>`;case"trust_line_changed":return t.status==="closed"?f`<span>${s("event.line_closed",{equivalent:t.equivalent})} <${F} pid=${t.creditor===C.me?.pid?t.debtor:t.creditor} /></span>`:f`<span>${s("event.line_set",{limit:t.limit,equivalent:t.equivalent})} <${F} pid=${t.creditor} /> → <${F} pid=${t.debtor} /></span>`;case"clearing_proposed":return f`<span>${s("event.clearing_proposed",{equivalent:t.equivalent})}</span>`;case"clearing_committed":return f`<span>${s("event.clearing_committed",{equivalent:t.equivalent})}</span>`;case"participant_status_changed":return f`<span>${s("event.status",{status:t.status})}</span>`;default:return f`<span>${e.kind}</span>`}}function Gn(){const e=j();return V(()=>{e.unread&&(e.unread=0,K())},[e.notifications.length]),f`<section data-testid="notifications">
    <h1>${s("nav.notifications")}</h1>
    ${e.notifications.length===0&&f`<p class="card">${s("notifications.none")}</p>`}
    <ul class="notifications">
      ${e.notifications.map(t=>f`<li key=${t.id} class="card" data-kind=${t.kind}><${Ft} event=${t} /></li>`)}
    </ul>
  </section>`}function Qn(){const e=j(),t=()=>{const i=new Blob([e.record.keyFile],{type:"application/json"}),n=document.createElement("a");n.href=URL.createObjectURL(i),n.download=`geo-key-${e.me.pid.slice(0,8)}.json`,n.click(),setTimeout(()=>URL.revokeObjectURL(n.href),1e3)};return f`<section data-testid="settings">
    <h1>${s("nav.settings")}</h1>
    <div class="card">
      <h2>${s("settings.me")}</h2>
      <p><strong>${e.me.display_name}</strong></p>
      <p><code class="pid" data-testid="my-pid">${e.me.pid}</code></p>
      <${Ut} text=${e.me.pid} label=${s("settings.pid_qr")} />
    </div>
    <div class="card">
      <h2>${s("settings.key")}</h2>
      <p class="note">${s("welcome.secret")}</p>
      <button class="secondary" onClick=${t}>${s("settings.export")}</button>
    </div>
    <div class="card">
      <h2>${s("language")}</h2>
      <${Bt} />
    </div>
    <div class="card actions">
      <button class="secondary" onClick=${It}>${s("settings.lock")}</button>
      <button class="danger" onClick=${()=>confirm(s("unlock.forget_confirm"))&&Pt()}>${s("unlock.forget")}</button>
    </div>
  </section>`}const je=[["/","nav.home",dn],["/pay","nav.pay",yn],["/request","nav.request",Kn],["/trust","nav.trust",pn],["/history","nav.history",xn],["/clearing","nav.clearing",Jn],["/network","nav.network",Yn],["/notifications","nav.notifications",Gn],["/settings","nav.settings",Qn]];function Wn(){const[e,t]=v("welcome"),i=()=>t("welcome");return e==="create"?f`<${an} back=${i} />`:e==="restore"?f`<${cn} back=${i} />`:f`<${on} go=${t} />`}function Zn(){const e=j();return e.toast?f`<div class="toast" role="status" data-testid="toast">
    <${Ft} event=${e.toast} />
    <button class="link" aria-label=${s("close")} onClick=${()=>{e.toast=null,K()}}>×</button>
  </div>`:null}function Xn(){const e=j(),t=e.path.split("?")[0];return f`<nav aria-label=${s("nav.label")}>
    <ul>
      ${je.map(([i,n])=>f`<li key=${i}>
        <a href=${i} aria-current=${t===i?"page":void 0}
          onClick=${o=>{o.preventDefault(),ne(i)}}>
          ${s(n)}${i==="/notifications"&&e.unread?f` <span class="badge" aria-label=${s("notifications.unread",{n:e.unread})}>${e.unread}</span>`:""}
        </a>
      </li>`)}
    </ul>
  </nav>`}function er(){Jt();const e=j();let t;if(e.stage==="loading")t=f`<p>${s("working")}</p>`;else if(e.stage==="welcome")t=f`<${Wn} />`;else if(e.stage==="locked")t=f`<${ln} />`;else if(e.stage==="register")t=f`<${un} />`;else{const n=e.path.split("?")[0],o=je.find(([r])=>r===n)||je[0];t=f`<${o[2]} key=${o[0]} />`}const i=e.stage==="ready";return f`<div class="app ${i?"with-nav":""}">
    <a class="skip" href="#main">${s("skip")}</a>
    <header>
      <span class="brand" aria-hidden="true">GEO</span>
      <span class="title">${s("app.wallet")}</span>
      <${Bt} />
    </header>
    <${Yt} />
    ${i&&f`<${Xn} />`}
    <main id="main" tabindex="-1">${t}</main>
    ${i&&f`<${Zn} />`}
  </div>`}Ht(f`<${er} />`,document.getElementById("app"));xt();Xt().then(()=>tr());function tr(){performance.mark("interactive"),document.body.setAttribute("data-ready","1")}
