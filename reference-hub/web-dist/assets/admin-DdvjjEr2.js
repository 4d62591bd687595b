const __vite__mapDeps=(i,m=__vite__mapDeps,d=(m.f||(m.f=["assets/shared-CKc3Kxxz.js","assets/shared-a6348mpB.css"])))=>i.map(i=>d[i]);
import{m as se,_ as oe,d as g,h as O,F as T,M as R,t as r,a as f,e as k,s as Y,R as _e,u as ce,L as de,O as ue}from"./shared-CKc3Kxxz.js";class H{__destroy_into_raw(){const e=this.__wbg_ptr;return this.__wbg_ptr=0,Q.unregister(this),e}free(){const e=this.__destroy_into_raw();s.__wbg_adminclient_free(e,0)}clearings(e){var i=v(e)?0:y(e,s.__wbindgen_malloc,s.__wbindgen_realloc),t=h;return s.adminclient_clearings(this.__wbg_ptr,i,t)}integrity(){return s.adminclient_integrity(this.__wbg_ptr)}constructor(e,i){let t,a,_,o;try{t=y(e,s.__wbindgen_malloc,s.__wbindgen_realloc),a=h,_=y(i,s.__wbindgen_malloc,s.__wbindgen_realloc),o=h}catch(c){throw _&&s.__wbindgen_free(_,o*1,1),t&&s.__wbindgen_free(t,a*1,1),c}const d=s.adminclient_new(t,a,_,o);return this.__wbg_ptr=d,Q.register(this,this.__wbg_ptr,this),this}participants(e,i){const t=+(v(i)?Number.MAX_SAFE_INTEGER:i>>>0),a=y(e,s.__wbindgen_malloc,s.__wbindgen_realloc),_=h;return s.adminclient_participants(this.__wbg_ptr,a,_,t)}runClearing(e){const i=y(e,s.__wbindgen_malloc,s.__wbindgen_realloc),t=h;return s.adminclient_runClearing(this.__wbg_ptr,i,t)}setEquivalent(e,i,t){const a=+i;let _,o,d,c;try{_=y(e,s.__wbindgen_malloc,s.__wbindgen_realloc),o=h,d=v(t)?0:y(t,s.__wbindgen_malloc,s.__wbindgen_realloc),c=h}catch(w){throw d&&s.__wbindgen_free(d,c*1,1),_&&s.__wbindgen_free(_,o*1,1),w}return s.adminclient_setEquivalent(this.__wbg_ptr,_,o,a,d,c)}setStatus(e,i,t){let a,_,o,d,c,m;try{a=y(e,s.__wbindgen_malloc,s.__wbindgen_realloc),_=h,o=y(i,s.__wbindgen_malloc,s.__wbindgen_realloc),d=h,c=v(t)?0:y(t,s.__wbindgen_malloc,s.__wbindgen_realloc),m=h}catch(b){throw c&&s.__wbindgen_free(c,m*1,1),o&&s.__wbindgen_free(o,d*1,1),a&&s.__wbindgen_free(a,_*1,1),b}return s.adminclient_setStatus(this.__wbg_ptr,a,_,o,d,c,m)}stats(){return s.adminclient_stats(this.__wbg_ptr)}}Symbol.dispose&&(H.prototype[Symbol.dispose]=H.prototype.free);function le(){return{__proto__:null,"./geo_admin_bg.js":{__proto__:null,__wbg___wbindgen_is_function_741ff2bb612836f5:function(e){return typeof e=="function"},__wbg___wbindgen_is_null_c22311b1cc228e3a:function(e){return e===null},__wbg___wbindgen_is_object_8b968c3ab8e96595:function(e){const i=e;return typeof i=="object"&&i!==null},__wbg___wbindgen_is_string_fc456fee5d3317de:function(e){return typeof e=="string"},__wbg___wbindgen_is_undefined_be5b34249ff1fc15:function(e){return e===void 0},__wbg___wbindgen_number_get_934b640d0889af78:function(e,i){const t=i,a=typeof t=="number"?t:void 0;V().setFloat64((e>>>0)+8,v(a)?0:a,!0),V().setInt32((e>>>0)+0,!v(a),!0)},__wbg___wbindgen_string_get_7ce8eee7fd327545:function(e,i){const t=i,a=typeof t=="string"?t:void 0;var _=v(a)?0:y(a,s.__wbindgen_malloc,s.__wbindgen_realloc),o=h;V().setInt32((e>>>0)+4,o,!0),V().setInt32((e>>>0)+0,_,!0)},__wbg___wbindgen_throw_4c88d8bf264fd984:function(e,i){throw new Error(q(e,i))},__wbg__wbg_cb_unref_09736879a3f67559:function(e){e._wbg_cb_unref()},__wbg_abort_6318b3b6a6cea89f:function(e){e.abort()},__wbg_call_40b008ba32f73991:function(){return E(function(e,i){return e.call(i)},arguments)},__wbg_call_a410eb4b59ed5965:function(){return E(function(e,i,t){return e.call(i,t)},arguments)},__wbg_clearTimeout_311a36965f7cb207:function(e){clearTimeout(e)},__wbg_crypto_23f565a907d30078:function(e){return e.crypto},__wbg_fetch_a3fffec815a91fd7:function(e,i,t){return fetch(q(e,i),t)},__wbg_getRandomValues_d2908e0b99612b91:function(){return E(function(e,i){e.getRandomValues(i)},arguments)},__wbg_get_2080c49015e35254:function(){return E(function(e,i){return Reflect.get(e,i)},arguments)},__wbg_instanceof_Promise_59148c6049d0e3a0:function(e){let i;try{i=e instanceof Promise}catch{i=!1}return i},__wbg_length_186163212ffe79c3:function(e){return e.length},__wbg_makeError_0b043b063cf87276:function(e,i,t,a,_,o,d,c){let m;return d!==0&&(m=q(d,c),s.__wbindgen_free(d,c*1,1)),se(q(e,i),q(t,a),_!==0,o===16777215?void 0:o,m)},__wbg_msCrypto_d5f06fad6bf1409b:function(e){return e.msCrypto},__wbg_new_0f5cd2e5be627dfe:function(){return new AbortController},__wbg_new_ba40181b3f24ac80:function(e,i){try{var t={a:e,b:i},a=(o,d)=>{const c=t.a;t.a=0;try{return X(c,t.b,o,d)}finally{t.a=c}};return new Promise(a)}finally{t.a=0}},__wbg_new_cd4348290afae586:function(){return new Object},__wbg_new_typed_e09da9dae6ee5935:function(e,i){try{var t={a:e,b:i},a=(o,d)=>{const c=t.a;t.a=0;try{return X(c,t.b,o,d)}finally{t.a=c}};return new Promise(a)}finally{t.a=0}},__wbg_new_with_length_01b143a7e5dd5a3e:function(e){return new Uint8Array(e>>>0)},__wbg_node_86166ff8ce1f2002:function(e){return e.node},__wbg_parse_c3f72b5a24f83c01:function(){return E(function(e,i){return JSON.parse(q(e,i))},arguments)},__wbg_process_91f425a63f58e399:function(e){return e.process},__wbg_prototypesetcall_13162965d1fe7aa3:function(e,i,t){Uint8Array.prototype.set.call(ee(e,i),t)},__wbg_queueMicrotask_1e8503a8a690f0a3:function(e){return e.queueMicrotask},__wbg_queueMicrotask_4a1a4d8dd332373b:function(e){queueMicrotask(e)},__wbg_randomFillSync_34b023059e3363de:function(){return E(function(e,i){e.randomFillSync(i)},arguments)},__wbg_require_9a7d8cc2e1d275c0:function(){return E(function(){return module.require},arguments)},__wbg_resolve_dbf78ab4942478b0:function(e){return Promise.resolve(e)},__wbg_setTimeout_5fc522e365c06b33:function(e,i){return setTimeout(e,i)},__wbg_set_2793479888329cb6:function(){return E(function(e,i,t){return Reflect.set(e,i,t)},arguments)},__wbg_signal_33d7feb0f6d46e4a:function(e){return e.signal},__wbg_static_accessor_GLOBAL_THIS_003ee833af9699fc:function(){const e=typeof globalThis>"u"?void 0:globalThis;return v(e)?0:x(e)},__wbg_static_accessor_GLOBAL_e4293fb22cbe77da:function(){const e=typeof global>"u"?void 0:global;return v(e)?0:x(e)},__wbg_static_accessor_SELF_53bb20457401453d:function(){const e=typeof self>"u"?void 0:self;return v(e)?0:x(e)},__wbg_static_accessor_WINDOW_b5e0810bfecb7feb:function(){const e=typeof window>"u"?void 0:window;return v(e)?0:x(e)},__wbg_subarray_58f388a9247ac0bb:function(e,i,t){return e.subarray(i>>>0,t>>>0)},__wbg_then_656f253a5dd7d8ea:function(e,i,t){return e.then(i,t)},__wbg_then_e3f7f2d365708be8:function(e,i){return e.then(i)},__wbg_versions_6e128a981b0df859:function(e){return e.versions},__wbindgen_generic_0000000000000001:function(e,i){return te(e,i,be)},__wbindgen_generic_0000000000000002:function(e,i){return te(e,i,fe)},__wbindgen_generic_0000000000000003:function(e,i){return ee(e,i)},__wbindgen_generic_0000000000000004:function(e,i){return q(e,i)},__wbindgen_init_externref_table:function(){const e=s.__wbindgen_externrefs;e.set(0,void 0),e.set(1024,void 0),e.set(1025,null),e.set(1026,!0),e.set(1027,!1)}}}}function fe(n,e){s.wasm_bindgen_ba9c6822e4026d03___convert__closures_____invoke_______true_(n,e)}function be(n,e,i){const t=s.wasm_bindgen_ba9c6822e4026d03___convert__closures_____invoke___wasm_bindgen_ba9c6822e4026d03___JsValue__core_b25e5d7ba31a63a9___result__Result_____wasm_bindgen_ba9c6822e4026d03___JsError___true_(n,e,i);if(t[1])throw me(t[0])}function X(n,e,i,t){s.wasm_bindgen_ba9c6822e4026d03___convert__closures_____invoke___js_sys_978b767fdbb56fe___Function_fn_wasm_bindgen_ba9c6822e4026d03___JsValue_____wasm_bindgen_ba9c6822e4026d03___sys__Undefined___js_sys_978b767fdbb56fe___Function_fn_wasm_bindgen_ba9c6822e4026d03___JsValue_____wasm_bindgen_ba9c6822e4026d03___sys__Undefined_______true_(n,e,i,t)}const Q=typeof FinalizationRegistry>"u"?{register:()=>{},unregister:()=>{}}:new FinalizationRegistry(n=>s.__wbg_adminclient_free(n,1));function x(n){const e=s.__externref_table_alloc();return s.__wbindgen_externrefs.set(e,n),e}const Z=typeof FinalizationRegistry>"u"?{register:()=>{},unregister:()=>{}}:new FinalizationRegistry(n=>s.__wbindgen_destroy_closure(n.a,n.b));function ee(n,e){return n=n>>>0,L().subarray(n/1,n/1+e)}let S=null;function V(){return(S===null||S.buffer.detached===!0||S.buffer.detached===void 0&&S.buffer!==s.memory.buffer)&&(S=new DataView(s.memory.buffer)),S}function q(n,e){return n=n>>>0,pe(L().subarray(n,n+e))}let M=null;function L(){return(M===null||M.byteLength===0)&&(M=new Uint8Array(s.memory.buffer)),M}function E(n,e){try{return n.apply(this,e)}catch(i){const t=x(i);s.__wbindgen_exn_store(t)}}function v(n){return n==null}function te(n,e,i){const t={a:n,b:e,cnt:1},a=(..._)=>{t.cnt++;const o=t.a;t.a=0;try{return i(o,t.b,..._)}finally{t.a=o,a._wbg_cb_unref()}};return a._wbg_cb_unref=()=>{--t.cnt===0&&(s.__wbindgen_destroy_closure(t.a,t.b),t.a=0,Z.unregister(t))},Z.register(a,t,t),a}function y(n,e,i){if(i===void 0){const d=D.encode(n),c=e(d.length,1)>>>0;return L().subarray(c,c+d.length).set(d),h=d.length,c}let t=n.length,a=e(t,1)>>>0;const _=L();let o=0;for(;o<t;o++){const d=n.charCodeAt(o);if(d>127)break;_[a+o]=d}if(o!==t){o!==0&&(n=n.slice(o)),a=i(a,t,t=o+n.length*3,1)>>>0;const d=L().subarray(a+o,a+t),c=D.encodeInto(n,d);o+=c.written,a=i(a,t,o,1)>>>0}return h=o,a}function me(n){const e=s.__wbindgen_externrefs.get(n);return s.__externref_table_dealloc(n),e}let W=new TextDecoder("utf-8",{ignoreBOM:!0});W.decode();const ge=2146435072;let N=0;function pe(n){return N+=n.length,N>=ge&&(W=new TextDecoder("utf-8",{ignoreBOM:!0}),W.decode(),N=n.length),W.decode(n)}const D=new TextEncoder;"encodeInto"in D||(D.encodeInto=function(n,e){const i=D.encode(n);return e.set(i),{read:n.length,written:i.length}});let h=0,s;function we(n,e){return s=n.exports,S=null,M=null,s.__wbindgen_start(),s}async function $e(n,e){if(typeof Response=="function"&&n instanceof Response){if(!n.ok)throw new Error(`failed to fetch Wasm: ${n.status} ${n.statusText} fetching '${n.url}'`);if(typeof WebAssembly.instantiateStreaming=="function")try{return await WebAssembly.instantiateStreaming(n,e)}catch(a){if(i(n.type)&&n.headers.get("Content-Type")!=="application/wasm")console.warn("`WebAssembly.instantiateStreaming` failed because your server does not serve Wasm with `application/wasm` MIME type. Falling back to `WebAssembly.instantiate` which is slower. Original error:\n",a);else throw a}const t=await n.arrayBuffer();return await WebAssembly.instantiate(t,e)}else{const t=await WebAssembly.instantiate(n,e);return t instanceof WebAssembly.Instance?{instance:t,module:n}:t}function i(t){switch(t){case"basic":case"cors":case"default":return!0}return!1}}let C;async function ne(n){return s!==void 0?s:(C===void 0&&(C=he(n),C.catch(()=>{C=void 0})),C)}async function he(n){n!==void 0&&(Object.getPrototypeOf(n)===Object.prototype?{module_or_path:n}=n:console.warn("using deprecated parameters for the initialization function; pass a single object instead")),n===void 0&&(n=new URL("/assets/geo_admin_bg-iyz5wsou.wasm",import.meta.url));const e=le();(typeof n=="string"||typeof Request=="function"&&n instanceof Request||typeof URL=="function"&&n instanceof URL)&&(n=fetch(n));const{instance:i,module:t}=await $e(await n,e);return we(i)}const J=new URL("/assets/geo_admin_bg-iyz5wsou.wasm",import.meta.url);if(typeof process<"u"&&process.versions&&process.versions.node&&J.protocol==="file:"){const{readFile:n}=await oe(async()=>{const{readFile:e}=await import("./shared-CKc3Kxxz.js").then(i=>i.b);return{readFile:e}},__vite__mapDeps([0,1]));await ne({module_or_path:await n(J)})}else await ne({module_or_path:J});const B="geo.admin.token",K=new EventTarget,A={client:null,path:location.pathname};let P=0;function z(){P+=1,K.dispatchEvent(new Event("change"))}function F(){const[n,e]=g(P);return O(()=>{const i=()=>e(P);return K.addEventListener("change",i),P!==n&&i(),()=>K.removeEventListener("change",i)},[]),A}async function ie(n){const e=new H(location.origin,n);await e.integrity(),sessionStorage.setItem(B,n),A.client=e,z()}async function ye(){const n=sessionStorage.getItem(B);if(n)try{await ie(n)}catch{sessionStorage.removeItem(B)}}function ve(){sessionStorage.removeItem(B),A.client=null,z()}function ke(n){n!==A.path&&history.pushState(null,"",n),A.path=n,z()}addEventListener("popstate",()=>{A.path=location.pathname,z()});async function re(){const n=await fetch("/api/v1/equivalents");if(!n.ok)throw new Error(`HTTP ${n.status}`);return n.json()}function Ee(){const[n,e]=g(""),[i,t]=g(""),[a,_]=g(!1);return f`<form class="card" onSubmit=${async d=>{if(d.preventDefault(),!n.trim())return t(r("admin.token_needed"));_(!0),t("");try{await ie(n.trim())}catch(c){t(k(c)),_(!1)}}} data-testid="sign-in">
    <h1>${r("admin.sign_in")}</h1>
    <p class="note">${r("admin.token_where")}</p>
    <${T} id="admin-token" label=${r("admin.token")}>
      <input id="admin-token" type="password" autocomplete="off" value=${n} onInput=${d=>e(d.currentTarget.value)} />
    <//>
    <${R} kind="error">${i}<//>
    <button type="submit" disabled=${a}>${a?r("working"):r("admin.enter")}</button>
  </form>`}const qe=5e3,ae=60;function Se(n){const e=[];for(let i=1;i<n.length;i++){const t=n[i].at-n[i-1].at,a=n[i].committed-n[i-1].committed;e.push(t>0?Math.round(a*6e4/t):0)}return e}function Te({values:n}){const t=Math.max(1,...n),a=n.map((_,o)=>`${o*300/Math.max(1,ae-2)},${80-_*80/t}`).join(" ");return f`<svg class="chart" viewBox=${"0 0 300 80"} role="img" aria-label=${r("admin.chart_label",{n:n[n.length-1]??0})}>
    <polyline points=${a} class="line" />
  </svg>`}function Re(){const n=F(),[e,i]=g(null),[t,a]=g([]),[_,o]=g(""),d=typeof n.client.stats=="function";if(O(()=>{if(!d)return;let m=!0,w=[];const b=async()=>{try{const p=await n.client.stats();if(!m)return;w=[...w,{at:Date.now(),committed:p.payments_committed}].slice(-ae),i(p),a(w),o("")}catch(p){m&&o(k(p))}};b();const $=setInterval(b,qe);return()=>{m=!1,clearInterval($)}},[]),!d)return f`<section><h1>${r("admin.figures")}</h1><p class="card">${r("admin.stats_unsupported")}</p></section>`;const c=Se(t);return f`<section data-testid="figures">
    <h1>${r("admin.figures")}</h1>
    <${R} kind="error">${_}<//>
    ${e&&f`<div class="grid">
      <div class="card">
        <h2>${r("admin.payments_per_minute")}</h2>
        <p class="big" data-testid="per-minute">${c.length?c[c.length-1]:"…"}</p>
        <${Te} values=${c} />
        <dl>
          <dt>${r("admin.committed")}</dt><dd data-testid="committed">${e.payments_committed}</dd>
          <dt>${r("admin.aborted")}</dt><dd>${e.payments_aborted}</dd>
          <dt>${r("admin.open_holds")}</dt><dd>${e.open_holds}</dd>
          <dt>${r("admin.journal")}</dt><dd>${e.journal_length}</dd>
        </dl>
      </div>
      <div class="card">
        <h2>${r("admin.participants")}</h2>
        <dl>
          <dt>${r("admin.status_active")}</dt><dd data-testid="active">${e.participants.active}</dd>
          <dt>${r("admin.status_suspended")}</dt><dd data-testid="suspended">${e.participants.suspended}</dd>
          <dt>${r("admin.status_left")}</dt><dd>${e.participants.retired}</dd>
        </dl>
      </div>
      ${e.equivalents.map(m=>f`<div class="card" key=${m.equivalent} data-testid="equivalent-figures">
        <h2>${m.equivalent}</h2>
        <dl>
          <dt>${r("admin.debt_outstanding")}</dt><dd data-testid="debt-outstanding">${m.debt_outstanding}</dd>
          <dt>${r("admin.cleared_to_date")}</dt><dd data-testid="cleared-to-date">${m.cleared_to_date}</dd>
          <dt>${r("admin.committed")}</dt><dd>${m.payments_committed}</dd>
        </dl>
      </div>`)}
    </div>`}
  </section>`}const Ie=/^[A-Z0-9]{2,16}$/;function Ae(){const n=F(),[e,i]=g([]),[t,a]=g(""),[_,o]=g("2"),[d,c]=g(""),[m,w]=g({}),[b,$]=g(null),p=()=>re().then(i,l=>$({kind:"error",text:k(l)}));O(()=>{p()},[]);const I=async l=>{l.preventDefault();const j={};if(Ie.test(t)||(j.code=r("admin.code_rule")),/^[0-8]$/.test(_)||(j.precision=r("admin.precision_rule")),w(j),$(null),!Object.keys(j).length)try{const U=await n.client.setEquivalent(t,Number(_),d||void 0);$({kind:"ok",text:r("admin.equivalent_saved",{code:U.code,precision:U.precision})}),a(""),c(""),p()}catch(U){$({kind:"error",text:k(U)})}},u=l=>{a(l.code),o(String(l.precision)),c(l.description||"")};return f`<section data-testid="equivalents">
    <h1>${r("admin.equivalents")}</h1>
    <${R} kind=${b?.kind} testid="equivalent-message">${b?.text}<//>
    <form class="card" onSubmit=${I} novalidate>
      <h2>${r("admin.equivalent_form")}</h2>
      <${T} id="eq-code" label=${r("admin.code")} hint=${r("admin.code_rule")} error=${m.code}>
        <input id="eq-code" autocomplete="off" autocapitalize="characters" value=${t} onInput=${l=>a(l.currentTarget.value.trim().toUpperCase())} aria-describedby="eq-code-hint" />
      <//>
      <${T} id="eq-precision" label=${r("admin.precision")} hint=${r("admin.precision_rule")} error=${m.precision}>
        <input id="eq-precision" inputmode="numeric" value=${_} onInput=${l=>o(l.currentTarget.value.trim())} aria-describedby="eq-precision-hint" />
      <//>
      <${T} id="eq-desc" label=${r("admin.description")}>
        <input id="eq-desc" value=${d} onInput=${l=>c(l.currentTarget.value)} />
      <//>
      <button type="submit">${r("admin.save_activate")}</button>
    </form>
    <table class="card">
      <caption>${r("admin.equivalents")}</caption>
      <thead><tr><th scope="col">${r("admin.code")}</th><th scope="col">${r("admin.precision")}</th><th scope="col">${r("admin.state")}</th><th scope="col"><span class="sr-only">${r("admin.actions")}</span></th></tr></thead>
      <tbody>
        ${e.map(l=>f`<tr key=${l.code} data-testid="equivalent-row">
          <td>${l.code}${l.description?f` <small>${l.description}</small>`:""}</td>
          <td>${l.precision}</td>
          <td>${l.active?r("admin.active"):r("admin.inactive")}</td>
          <td><button class="secondary" onClick=${()=>u(l)}>${r("admin.edit")}</button></td>
        </tr>`)}
      </tbody>
    </table>
  </section>`}function Fe(){const n=F(),[e,i]=g(""),[t,a]=g(""),[_,o]=g(null),[d,c]=g(null),m=async b=>{b?.preventDefault(),c(null);try{o(await n.client.participants(e.trim(),50))}catch($){c({kind:"error",text:k($)})}},w=async(b,$)=>{c(null);try{const p=await n.client.setStatus(b.pid,$,t||void 0);o(_.map(I=>I.pid===p.pid?p:I)),c({kind:"ok",text:r("admin.status_set",{name:p.display_name,status:r("admin.status_"+p.status)})})}catch(p){c({kind:"error",text:k(p)})}};return f`<section data-testid="participants">
    <h1>${r("admin.participants")}</h1>
    <form class="card" onSubmit=${m}>
      <${T} id="member-q" label=${r("admin.find_member")} hint=${r("admin.find_hint")}>
        <input id="member-q" autocomplete="off" spellcheck=${!1} value=${e} onInput=${b=>i(b.currentTarget.value)} aria-describedby="member-q-hint" />
      <//>
      <button type="submit">${r("picker.search")}</button>
      <${T} id="member-reason" label=${r("admin.reason")}>
        <input id="member-reason" value=${t} onInput=${b=>a(b.currentTarget.value)} />
      <//>
    </form>
    <${R} kind=${d?.kind} testid="participant-message">${d?.text}<//>
    ${_&&_.length===0&&f`<p class="card">${r("admin.no_members")}</p>`}
    ${_&&_.length>0&&f`<table class="card">
      <caption>${r("admin.participants")}</caption>
      <thead><tr><th scope="col">${r("register.name")}</th><th scope="col">PID</th><th scope="col">${r("admin.state")}</th><th scope="col"><span class="sr-only">${r("admin.actions")}</span></th></tr></thead>
      <tbody>
        ${_.map(b=>f`<tr key=${b.pid} data-testid="member">
          <td>${b.display_name}</td>
          <td><code title=${b.pid}>${Y(b.pid)}</code></td>
          <td data-testid="member-status">${r("admin.status_"+b.status)}</td>
          <td>${b.status==="active"?f`<button class="danger" onClick=${()=>w(b,"suspended")}>${r("admin.suspend")}</button>`:b.status==="suspended"?f`<button onClick=${()=>w(b,"active")}>${r("admin.reactivate")}</button>`:""}</td>
        </tr>`)}
      </tbody>
    </table>`}
  </section>`}function Ce(){const n=F(),[e,i]=g([]),[t,a]=g(""),[_,o]=g([]),[d,c]=g(""),[m,w]=g(null),[b,$]=g("");O(()=>{re().then(u=>{i(u),u[0]&&a(u[0].code)})},[]);const p=async()=>{if(t){$("");try{w(await n.client.clearings(t))}catch(u){w(null),$(u&&u.code==="E_INVALID_SIGNATURE"?`${r("admin.receipt_refused")} (${u.message})`:k(u))}}};O(()=>{p()},[t]);const I=async u=>{u.preventDefault(),c("");try{const l=await n.client.runClearing(t);o([{...l,at:new Date().toLocaleTimeString()},..._]),await p()}catch(l){c(k(l))}};return f`<section data-testid="clearing-runs">
    <h1>${r("admin.clearing")}</h1>
    <form class="card" onSubmit=${I}>
      <${T} id="run-eq" label=${r("equivalent")}>
        <select id="run-eq" value=${t} onChange=${u=>a(u.currentTarget.value)}>
          ${e.map(u=>f`<option value=${u.code}>${u.code}</option>`)}
        </select>
      <//>
      <button type="submit" disabled=${!t}>${r("admin.run_now")}</button>
    </form>
    <${R} kind="error">${d}<//>
    <ul>
      ${_.map((u,l)=>f`<li class="card" key=${l} data-testid="run">
        <strong>${u.at} · ${u.equivalent}</strong>:
        ${u.cleared?r("admin.run_cleared",{total:u.total,n:u.debts_reduced}):u.proposal?r("admin.run_proposed",{id:u.proposal}):r("admin.run_nothing")}
        ${u.clearing_id&&f`<div><small class="mono">${u.clearing_id}</small></div>`}
      </li>`)}
    </ul>
    <h2>${r("admin.applied")}</h2>
    <button type="button" class="secondary" onClick=${p} disabled=${!t}>${r("admin.refresh")}</button>
    <${R} kind="error" testid="receipts-refused">${b}<//>
    ${m&&m.length===0&&f`<p>${r("admin.applied_none")}</p>`}
    <ul>
      ${(m||[]).map(u=>f`<li class="card" key=${u.clearing_id} data-testid="clearing">
        <strong>${new Date(u.at).toLocaleString()}</strong>:
        <span data-testid="cleared-total">${r("admin.cleared_total",{total:u.receipt.payload.total,equivalent:u.equivalent,n:u.edges.length})}</span>
        <p class="message ok" data-testid="receipt-verified">${r("admin.receipt_verified",{seq:u.journal_seq})}</p>
        <details>
          <summary>${r("admin.set_offs")}</summary>
          <ul class="edges">
            ${u.edges.map(l=>f`<li key=${l.debtor+l.creditor}>
              <code title=${l.debtor}>${Y(l.debtor)}</code> → <code title=${l.creditor}>${Y(l.creditor)}</code>: ${l.amount}
            </li>`)}
          </ul>
          <small class="mono">${u.clearing_id}</small>
        </details>
      </li>`)}
    </ul>
  </section>`}function xe(){const n=F(),[e,i]=g(null),[t,a]=g(""),[_,o]=g(!1),d=async()=>{o(!0),a("");try{i(await n.client.integrity())}catch(c){a(k(c))}o(!1)};return f`<section data-testid="integrity">
    <h1>${r("admin.integrity")}</h1>
    <div class="card">
      <p class="note">${r("admin.integrity_explain")}</p>
      <button onClick=${d} disabled=${_}>${_?r("working"):r("admin.check")}</button>
    </div>
    <${R} kind="error">${t}<//>
    ${e&&f`<div class="card ${e.status==="ok"?"ok":"failed"}" data-testid="integrity-report">
      <p><strong>${e.status==="ok"?r("admin.integrity_ok"):r("admin.integrity_bad")}</strong></p>
      <p>${r("admin.journal_entries",{n:e.journal_entries})}</p>
      ${e.head_hash&&f`<p><small class="mono">${e.head_hash}</small></p>`}
      ${e.problems.length>0&&f`<ul>${e.problems.map(c=>f`<li>${c}</li>`)}</ul>`}
    </div>`}
  </section>`}const G=[["/admin","admin.figures",Re],["/admin/equivalents","admin.equivalents",Ae],["/admin/participants","admin.participants",Fe],["/admin/clearing","admin.clearing",Ce],["/admin/integrity","admin.integrity",xe]];function Me(){ce();const n=F(),e=n.path.replace(/\/$/,"")||"/admin",i=G.find(([t])=>t===e)||G[0];return f`<div class="app admin ${n.client?"with-nav":""}">
    <a class="skip" href="#main">${r("skip")}</a>
    <header>
      <span class="brand" aria-hidden="true">GEO</span>
      <span class="title">${r("app.console")}</span>
      <${de} />
      ${n.client&&f`<button class="link" onClick=${ve}>${r("admin.sign_out")}</button>`}
    </header>
    <${ue} />
    ${n.client&&f`<nav aria-label=${r("nav.label")}><ul>
      ${G.map(([t,a])=>f`<li key=${t}><a href=${t} aria-current=${t===i[0]?"page":void 0}
        onClick=${_=>{_.preventDefault(),ke(t)}}>${r(a)}</a></li>`)}
    </ul></nav>`}
    <main id="main" tabindex="-1">
      ${n.client?f`<${i[2]} key=${i[0]} />`:f`<${Ee} />`}
    </main>
  </div>`}_e(f`<${Me} />`,document.getElementById("app"));ye().finally(()=>Le());function Le(){performance.mark("interactive"),document.body.setAttribute("data-ready","1")}
