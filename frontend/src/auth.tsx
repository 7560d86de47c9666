import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { api, storeToken, storedToken } from './api/client';
import type { components } from './api/schema';

export type User = components['schemas']['UserResponse'];

interface AuthState {
  user: User | null;
  loading: boolean;
  signIn: (token: string) => Promise<void>;
  signOut: () => void;
}

const AuthContext = createContext<AuthState | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null>(null);
  const [loading, setLoading] = useState(true);

  const loadUser = useCallback(async () => {
    if (!storedToken()) {
      setUser(null);
      return;
    }
    const { data } = await api.GET('/auth/me');
    if (!data) storeToken(null);
    setUser(data ?? null);
  }, []);

  useEffect(() => {
    loadUser().finally(() => setLoading(false));
  }, [loadUser]);

  const signIn = useCallback(
    async (token: string) => {
      storeToken(token);
      await loadUser();
    },
    [loadUser],
  );

  const signOut = useCallback(() => {
    storeToken(null);
    setUser(null);
  }, []);

  return <AuthContext.Provider value={{ user, loading, signIn, signOut }}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const state = useContext(AuthContext);
  if (!state) throw new Error('useAuth outside AuthProvider');
  return state;
}
